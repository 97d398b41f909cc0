package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.config.ProducerConfigurationException;
import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.fixture.CoreTopic;
import io.distcache.producer.fixture.DeadLetterTopic;
import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.Producers;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.producer.projection.Change;
import io.distcache.producer.projection.JsonRowProjection;
import io.distcache.producer.projection.Projection;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.SourceRecord;
import io.distcache.testkit.RedisServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.cache.CacheException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One fault per way a projection could lose, freeze or mix data; each ends with the namespace equal to
 * the topic's compacted state, or with the documented refusal.
 */
class ExactnessTest {

  @Test
  void aChunkThatFailsInTheMiddleOfABatchMovesNoOffsets() throws Exception {
    Infra.kafka().createCompactedTopic("exact.chunk", 1);
    Set<Long> ids = new HashSet<>();
    // the namespace is built (empty) first, so the records below go through the live path, chunk by chunk
    try (CacheProducer producer = CacheProducer.start(Producers.settings("exact.chunk", "chunk"))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> producer.runners().get(0).status().phase() == Phase.LIVE);
    }
    String poisoned = "dc:chunk:" + Infra.redis().command("HGET", "dc:{dc}:chunk:meta", "space") + ":k:s:user:700";
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "exact.chunk")) {
      // one batch of 2,000 records, four chunks of 500: user 700 is in the second chunk
      for (long id = 0; id < 3_000; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      // a key of the wrong type makes the second chunk's script fail half-way, as OOM or BUSY would
      Infra.redis().command("HSET", poisoned, "not", "an entry");
      try (CacheProducer producer = CacheProducer.start(Producers.settings("exact.chunk", "chunk"))) {
        ProjectionRunner runner = producer.runners().get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.status().toJson().contains("WRONGTYPE"));
        Infra.redis().command("DEL", poisoned);
        try (Edge edge = new Edge(Infra.redis().uri(), "chunk")) {
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
              .until(() -> edge.matches(core.state(), ids));
          edge.assertEquals(core.state(), ids);
        }
      }
    }
  }

  /** Recovery from OOM; the chunk chain itself is shown by SinkFenceTest, where one chunk fails and later ones could run. */
  @Test
  void redisRunningOutOfMemoryDuringABackloadLosesNothing() throws Exception {
    Infra.kafka().createCompactedTopic("exact.oom", 2);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "exact.oom");
        Edge edge = new Edge(Infra.redis().uri(), "oom")) {
      for (long id = 0; id < 20_000; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      // a little room: the backload fills it and Redis answers OOM to the scripts of some chunk, mid-batch
      long used = Long.parseLong(Infra.redis().command("INFO", "memory").lines()
          .filter(line -> line.startsWith("used_memory:")).findFirst().orElseThrow().substring(12).strip());
      Infra.redis().command("CONFIG", "SET", "maxmemory", Long.toString(used + 512 * 1024));
      try (CacheProducer producer = CacheProducer.start(Producers.settings("exact.oom", "oom"))) {
        ProjectionRunner runner = producer.runners().get(0);
        try {
          await().atMost(Duration.ofSeconds(60)).until(() -> runner.status().toJson().contains("OOM"));
        } finally {
          Infra.redis().command("CONFIG", "SET", "maxmemory", "0");
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> edge.matches(core.state(), ids));
        edge.assertEquals(core.state(), ids);
      }
    }
  }

  @Test
  void aTopicCreatedAgainWithFewerRecordsIsRebuiltFromItsStart() throws Exception {
    String topic = "exact.recreated";
    Infra.kafka().createCompactedTopic(topic, 2);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Edge edge = new Edge(Infra.redis().uri(), "recreated")) {
      for (long id = 0; id < 1_000; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      try (CacheProducer producer = CacheProducer.start(Producers.settings(topic, "recreated"))) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(core.state(), ids));
      }
    }
    deleteTopic(topic);
    Infra.kafka().createCompactedTopic(topic, 2);
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Edge edge = new Edge(Infra.redis().uri(), "recreated")) {
      for (long id = 5_000; id < 5_100; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      try (CacheProducer producer = CacheProducer.start(Producers.settings(topic, "recreated"))) {
        // the rows of the old topic are gone, the new ones are there
        awaitTheCompactedState(edge, core, ids);
        assertThat(producer.registry().get("distcache.producer.rebuilds").counter().count()).isEqualTo(1);
      }
    }
  }

  @Test
  void aTopicThatGainedPartitionsStopsTheProjectionLoudlyInsteadOfFreezingMovedKeys() throws Exception {
    String topic = "exact.repartitioned";
    Infra.kafka().createCompactedTopic(topic, 2);
    Set<Long> ids = new HashSet<>();
    Map<Long, Map<String, Object>> before;
    try (Edge edge = new Edge(Infra.redis().uri(), "repartitioned")) {
      try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic)) {
        for (long id = 0; id < 400; id++) {
          ids.add(id);
          core.upsert(id);
        }
        core.flush();
        before = new HashMap<>(core.state());
        try (CacheProducer producer = CacheProducer.start(Producers.settings(topic, "repartitioned"))) {
          awaitTheCompactedState(edge, core, ids);
        }
      }
      try (Admin admin = admin()) {
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all().get();
      }
      // a new publisher sees 4 partitions: keys move to partitions whose offsets start again at 0, and the
      // topic now holds their old rows in one partition and their new rows in another
      try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic)) {
        for (long id = 0; id < 400; id++) {
          core.upsert(id);
          core.upsert(id);
        }
        core.flush();
        try (CacheProducer producer = CacheProducer.start(Producers.settings(topic, "repartitioned"))) {
          ProjectionRunner runner = producer.runners().get(0);
          await().atMost(Duration.ofSeconds(60)).until(() -> runner.status().phase() == Phase.FAILED);
          assertThat(runner.status().toJson()).contains("now has 4 partitions, not the 2",
              "Re-create the topic with the new partition count");
          assertThat(producer.registry().get("distcache.producer.rebuilds").counter().count()).isZero();
        }
      }
      // the namespace was left as it was: every row as the producer last applied it
      edge.assertEquals(before, ids);
    }
  }

  @Test
  void aTopicCreatedAgainIsRefusedWhenTheProjectionSaysFail() throws Exception {
    String topic = "exact.refused";
    Infra.kafka().createCompactedTopic(topic, 1);
    Properties props = Producers.properties(topic, "refused");
    props.setProperty("projection[users].on-offset-regression", "fail");
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic)) {
      for (long id = 0; id < 100; id++) {
        core.upsert(id);
      }
      core.flush();
      try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(props, "test"))) {
        ProjectionRunner runner = producer.runners().get(0);
        await().atMost(Duration.ofSeconds(60)).until(() -> runner.status().phase() == Phase.LIVE);
      }
    }
    deleteTopic(topic);
    Infra.kafka().createCompactedTopic(topic, 1);
    try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(props, "test"))) {
      ProjectionRunner runner = producer.runners().get(0);
      await().atMost(Duration.ofSeconds(60)).until(() -> runner.status().phase() == Phase.FAILED);
      assertThat(runner.status().toJson()).contains("the topic was deleted and created again",
          "on-offset-regression = fail");
      assertThat(runner.status().healthy()).isFalse();
    }
    // the namespace was left as it was
    assertThat(Infra.redis().command("HGET", "dc:{dc}:refused:meta", "offset:0")).isEqualTo("100");
  }

  @Test
  void recordsDeletedBeforeTheProducerAppliedThemAreNoticedAndTheNamespaceIsRebuilt() throws Exception {
    String topic = "exact.retention";
    try (Admin admin = admin()) {
      // cleanup.policy = delete: Kafka refuses DeleteRecords on compact-only topics
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Edge edge = new Edge(Infra.redis().uri(), "retention")) {
      for (long id = 0; id < 100; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      try (CacheProducer producer = CacheProducer.start(Producers.settings(topic, "retention"))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> edge.matches(core.state(), ids));
      }
      // while the producer is down: every user is deleted, new ones arrive, and retention drops the deletes
      for (long id = 0; id < 100; id++) {
        core.delete(id);
      }
      for (long id = 1_000; id < 1_040; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      try (Admin admin = admin()) {
        admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(200))).all().get();
      }
      try (CacheProducer producer = CacheProducer.start(Producers.settings(topic, "retention"))) {
        awaitTheCompactedState(edge, core, ids);
        assertThat(producer.registry().get("distcache.producer.rebuilds").counter().count()).isEqualTo(1);
      }
    }
  }

  @Test
  void anEdgeCannotWriteIntoAProducerNamespace() throws Exception {
    Infra.kafka().createCompactedTopic("exact.owned", 1);
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "exact.owned");
        CacheProducer producer = CacheProducer.start(Producers.settings("exact.owned", "owned"));
        Edge edge = new Edge(Infra.redis().uri(), "owned")) {
      core.upsert(1);
      core.flush();
      await().atMost(Duration.ofSeconds(60)).until(() -> edge.get(1) != null);
      assertThatThrownBy(() -> edge.put(1, Map.of("name", "edited at the edge")))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("written by producer:exact.owned");
      assertThatThrownBy(() -> edge.remove(1)).isInstanceOf(CacheException.class)
          .hasMessageContaining("written by producer:exact.owned");
      assertThat(edge.get(1)).isEqualTo(core.state().get(1L));
    }
  }

  @Test
  void entriesEdgesWroteBeforeTheProducerOwnedTheNamespaceAreReplacedByTheTopic() throws Exception {
    Infra.kafka().createCompactedTopic("exact.adopted", 1);
    Set<Long> ids = new HashSet<>(Set.of(1L, 2L, 777L));
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "exact.adopted");
        Edge edge = new Edge(Infra.redis().uri(), "adopted")) {
      edge.put(777, Map.of("name", "written at an edge"));
      edge.put(1, Map.of("name", "written at an edge"));
      core.upsert(1);
      core.upsert(2);
      core.flush();
      try (CacheProducer producer = CacheProducer.start(Producers.settings("exact.adopted", "adopted"))) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(core.state(), ids));
        assertThat(producer.registry().get("distcache.producer.rebuilds").counter().count()).isEqualTo(1);
      }
    }
  }

  @Test
  void aNamespaceEdgesOnlyReadBeforeTheProducerStartedIsNotRebuilt() throws Exception {
    Infra.kafka().createCompactedTopic("exact.read", 1);
    Set<Long> ids = Set.of(1L, 2L);
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "exact.read");
        Edge edge = new Edge(Infra.redis().uri(), "read")) {
      assertThat(edge.get(1)).isNull();
      core.upsert(1);
      core.upsert(2);
      core.flush();
      try (CacheProducer producer = CacheProducer.start(Producers.settings("exact.read", "read"))) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(core.state(), ids));
        assertThat(producer.registry().get("distcache.producer.rebuilds").counter().count()).isZero();
      }
    }
  }

  @Test
  void aRedisThatMayEvictAnyKeyIsRefusedUnlessAllowed() {
    try (RedisServer evicting = RedisServer.builder().extraArgs("--maxmemory", "64mb", "--maxmemory-policy",
        "allkeys-lru").start()) {
      Properties props = Producers.properties("exact.evicting", "evicting");
      props.setProperty("redis.uri", evicting.uri());
      assertThatThrownBy(() -> CacheProducer.start(SettingsFile.parse(props, "test")))
          .isInstanceOf(ProducerConfigurationException.class)
          .hasMessageContaining("maxmemory-policy allkeys-lru")
          .hasMessageContaining("redis.allow-allkeys-eviction = true");

      props.setProperty("redis.allow-allkeys-eviction", "true");
      Infra.kafka().createCompactedTopic("exact.evicting", 1);
      try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(props, "test"))) {
        ProjectionRunner runner = producer.runners().get(0);
        await().atMost(Duration.ofSeconds(60)).until(() -> runner.status().phase() == Phase.LIVE);
      }
    }
  }

  @Test
  void aRecordThatMakesAPluginThrowGoesToTheDeadLetterTopicAndTheProjectionGoesOn(@TempDir Path dir)
      throws Exception {
    Path jar = dir.resolve("throwing.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("META-INF/services/" + Projection.class.getName()));
      out.write((ThrowsOnUser13.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Infra.kafka().createCompactedTopic("exact.plugin", 1);
    Properties props = Producers.properties("exact.plugin", "plugin");
    props.setProperty("plugin.path", jar.toString());
    props.setProperty("projection[users].format", "throws-on-13");
    props.setProperty("projection[users].dlq-topic", "exact.plugin.dead");
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "exact.plugin");
        CacheProducer producer = CacheProducer.start(SettingsFile.parse(props, "test"));
        Edge edge = new Edge(Infra.redis().uri(), "plugin")) {
      for (long id = 0; id < 100; id++) {
        core.upsert(id);
        if (id != 13) {
          ids.add(id);
        }
      }
      core.flush();
      List<ConsumerRecord<byte[], byte[]>> dead = DeadLetterTopic.readAll("exact.plugin.dead", 1);
      assertThat(dead).hasSize(1);
      assertThat(DeadLetterTopic.header(dead.get(0), "distcache.reason")).isEqualTo("projection-failed");
      assertThat(DeadLetterTopic.header(dead.get(0), "distcache.error")).contains("IllegalStateException", "user 13");
      await().atMost(Duration.ofSeconds(30)).until(() -> edge.matches(core.state(), ids));
      assertThat(edge.get(13)).isNull();
      // the thread is alive: later records land
      core.upsert(100);
      core.flush();
      ids.add(100L);
      await().atMost(Duration.ofSeconds(30)).until(() -> edge.matches(core.state(), ids));
      assertThat(producer.runners().get(0).status().phase()).isEqualTo(Phase.LIVE);
    }
  }

  /** A plugin with a bug: it throws on user 13. Listed only in the jar the test builds. */
  public static final class ThrowsOnUser13 implements Projection {

    @Override
    public String format() {
      return "throws-on-13";
    }

    @Override
    public Change project(SourceRecord record, ProjectionSettings settings) {
      if (new String(record.key(), StandardCharsets.UTF_8).equals("{\"id\":13}")) {
        throw new IllegalStateException("a bug in the plugin, on user 13");
      }
      return new JsonRowProjection().project(record, settings);
    }
  }

  /** Waits until the namespace holds the topic's compacted state, then asserts it key by key. */
  private static void awaitTheCompactedState(Edge edge, CoreTopic core, Set<Long> ids) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> edge.matches(core.state(), ids));
    edge.assertEquals(core.state(), ids);
  }

  private static Admin admin() {
    Properties props = new Properties();
    props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafka().bootstrapServers());
    return Admin.create(props);
  }

  private static void deleteTopic(String topic) throws Exception {
    try (Admin admin = admin()) {
      admin.deleteTopics(List.of(topic)).all().get();
      await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get().contains(topic));
    }
  }
}
