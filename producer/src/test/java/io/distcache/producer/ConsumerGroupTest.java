package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.fixture.CoreTopic;
import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.ProducerProcess;
import io.distcache.producer.fixture.Producers;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.protocol.codec.Envelope;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances of one projection in a consumer group ({@code projection[<name>].group}), on a topic of 8 partitions,
 * while a watcher reads every entry's stored version and every partition's stored offset: the instances share
 * the partitions, a killed one's partitions move to the others, a paused one writes nothing once another owns
 * its partitions, no version or offset ever goes back, and the namespace ends as the compacted state, key by key.
 */
class ConsumerGroupTest {

  private static final int PARTITIONS = 8;
  private static final int USERS = 2_000;
  private static final Duration REBALANCE = Duration.ofSeconds(60);

  @Test
  void twoMembersShareThePartitionsAndAThirdGetsAShare() throws Exception {
    String topic = "group.share.users";
    String namespace = "gshare";
    Infra.kafka().createCompactedTopic(topic, PARTITIONS);
    Random random = new Random(5);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Watcher watcher = new Watcher(namespace);
        Edge edge = new Edge(Infra.redis().uri(), namespace)) {
      publish(core, random, ids, 20_000);
      try (CacheProducer first = CacheProducer.start(SettingsFile.parse(groupProperties(topic, namespace), "test"));
          CacheProducer second = CacheProducer.start(SettingsFile.parse(groupProperties(topic, namespace), "test"))) {
        await().atMost(REBALANCE).until(() -> owned(first).size() == 4 && owned(second).size() == 4);
        assertThat(union(owned(first), owned(second))).as("each partition has one owner").hasSize(PARTITIONS);
        publish(core, random, ids, 5_000);
        await().atMost(REBALANCE).pollInterval(Duration.ofMillis(200)).until(() -> edge.matches(core.state(), ids));

        try (CacheProducer third = CacheProducer.start(SettingsFile.parse(groupProperties(topic, namespace), "test"))) {
          await().atMost(REBALANCE).until(() -> !owned(third).isEmpty()
              && owned(first).size() + owned(second).size() + owned(third).size() == PARTITIONS);
          assertThat(union(owned(first), owned(second), owned(third))).hasSize(PARTITIONS);
          assertThat(List.of(owned(first).size(), owned(second).size(), owned(third).size()))
              .as("the cooperative assignor's shares of 8 partitions over 3 members").containsExactlyInAnyOrder(3, 3, 2);
          assertThat(watcher.ownersInRedis()).as("Redis records the owner of every partition").hasSize(PARTITIONS);
          publish(core, random, ids, 5_000);
          await().atMost(REBALANCE).pollInterval(Duration.ofMillis(200)).until(() -> edge.matches(core.state(), ids));
          assertThat(third.runners().get(0).status().toJson()).contains("\"partitions\":" + owned(third));
          assertThat(third.registry().get("distcache.producer.partition.owned")
              .tag("partition", Integer.toString(owned(third).get(0))).gauge().value()).isEqualTo(1.0);
        }
      }
      edge.assertEquals(core.state(), ids);
      watcher.assertNothingWentBack(ids.size());
    }
  }

  @Test
  void aNewProjectionVersionRebuildsTheGroupsNamespaceIntoAKeySpaceOfItsOwn() throws Exception {
    String topic = "group.version.users";
    String namespace = "gversion";
    Infra.kafka().createCompactedTopic(topic, PARTITIONS);
    Random random = new Random(3);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Watcher watcher = new Watcher(namespace);
        Edge edge = new Edge(Infra.redis().uri(), namespace)) {
      publish(core, random, ids, 10_000);
      Properties first = groupProperties(topic, namespace);
      try (CacheProducer one = CacheProducer.start(SettingsFile.parse(first, "test"));
          CacheProducer two = CacheProducer.start(SettingsFile.parse(first, "test"))) {
        await().atMost(REBALANCE).pollInterval(Duration.ofMillis(200)).until(() -> edge.matches(core.state(), ids));
      }
      assertThat(watcher.meta()).doesNotContainKey("space");

      Properties second = groupProperties(topic, namespace);
      second.setProperty("projection[users].version", "2");
      try (CacheProducer one = CacheProducer.start(SettingsFile.parse(second, "test"));
          CacheProducer two = CacheProducer.start(SettingsFile.parse(second, "test"))) {
        await().atMost(REBALANCE).until(() -> owned(one).size() == 4 && owned(two).size() == 4);
        publish(core, random, ids, 2_000);
        await().atMost(REBALANCE).pollInterval(Duration.ofMillis(200)).until(() -> edge.matches(core.state(), ids)
            && "2".equals(watcher.meta().get("projection-version")));
        edge.assertEquals(core.state(), ids);
        assertThat(watcher.meta().get("space")).as("the key space the group rebuilt into").startsWith("g");
        double rebuilds = one.registry().get("distcache.producer.rebuilds").counter().count()
            + two.registry().get("distcache.producer.rebuilds").counter().count();
        // the member that switched counts one; the other counts one more if a batch of its was refused for it
        assertThat(rebuilds).as("rebuilds counted").isBetween(1.0, 2.0);
      }
    }
  }

  @Test
  void aKilledMembersPartitionsMoveToTheOther(@TempDir Path dir) throws Exception {
    String topic = "group.kill.users";
    String namespace = "gkill";
    Infra.kafka().createCompactedTopic(topic, PARTITIONS);
    Random random = new Random(7);
    Set<Long> ids = new HashSet<>();
    ProducerProcess other = new ProducerProcess(dir, groupProperties(topic, namespace));
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Watcher watcher = new Watcher(namespace);
        Edge edge = new Edge(Infra.redis().uri(), namespace);
        CacheProducer member = CacheProducer.start(SettingsFile.parse(groupProperties(topic, namespace), "test"))) {
      publish(core, random, ids, 20_000);
      other.start();
      await().atMost(REBALANCE).until(() -> owned(member).size() == 4 && watcher.members() == 2);
      publish(core, random, ids, 5_000);
      // the kill lands while both members apply live traffic
      publish(core, random, ids, 2_000);
      Thread.sleep(random.nextInt(200));
      other.kill();
      publish(core, random, ids, 2_000);
      await().atMost(REBALANCE).until(() -> owned(member).size() == PARTITIONS);
      publish(core, random, ids, 2_000);
      await().atMost(REBALANCE).pollInterval(Duration.ofMillis(200)).until(() -> edge.matches(core.state(), ids));
      edge.assertEquals(core.state(), ids);
      watcher.assertNothingWentBack(ids.size());
      // Taking the partitions over starts a backload of them; the runner reports live on its next poll after Redis
      // confirmed the last batch, which may come after the edge already read that batch's data.
      await().atMost(REBALANCE).until(() -> member.runners().get(0).status().phase() == Phase.LIVE);
    } finally {
      other.kill();
    }
  }

  @Test
  void aPausedFormerOwnerWritesNothingThatLands(@TempDir Path dir) throws Exception {
    String topic = "group.pause.users";
    String namespace = "gpause";
    Infra.kafka().createCompactedTopic(topic, PARTITIONS);
    Random random = new Random(9);
    Set<Long> ids = new HashSet<>();
    ProducerProcess other = new ProducerProcess(dir, groupProperties(topic, namespace));
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Watcher watcher = new Watcher(namespace);
        Edge edge = new Edge(Infra.redis().uri(), namespace);
        CacheProducer member = CacheProducer.start(SettingsFile.parse(groupProperties(topic, namespace), "test"))) {
      publish(core, random, ids, 20_000);
      other.start();
      await().atMost(REBALANCE).until(() -> owned(member).size() == 4 && watcher.members() == 2);
      publish(core, random, ids, 2_000);
      other.pause();
      // traffic for every partition while the paused member still owns four of them in the group's eyes
      publish(core, random, ids, 2_000);
      await().atMost(REBALANCE).until(() -> owned(member).size() == PARTITIONS);
      publish(core, random, ids, 2_000);
      await().atMost(REBALANCE).pollInterval(Duration.ofMillis(200)).until(() -> edge.matches(core.state(), ids));
      Map<String, String> applied = watcher.entries();

      other.resume();
      // it learns from the group that it lost its partitions, and a rebalance gives it four again; nothing it had
      // read or sent before the pause lands meanwhile: every entry stays as it was, since nothing new was published
      await().atMost(REBALANCE).until(() -> other.log().contains("lost partitions"));
      await().atMost(REBALANCE).until(() -> owned(member).size() == 4 && watcher.members() == 2);
      assertThat(changedSince(applied, watcher.entries())).as("entries changed with nothing new published").isEmpty();
      publish(core, random, ids, 2_000);
      await().atMost(REBALANCE).pollInterval(Duration.ofMillis(200)).until(() -> edge.matches(core.state(), ids));
      edge.assertEquals(core.state(), ids);
      watcher.assertNothingWentBack(ids.size());
    } finally {
      other.kill();
    }
  }

  private static Map<String, String> changedSince(Map<String, String> before, Map<String, String> after) {
    Map<String, String> changed = new HashMap<>();
    after.forEach((key, value) -> {
      if (!value.equals(before.get(key))) {
        changed.put(key, value);
      }
    });
    before.keySet().stream().filter(key -> !after.containsKey(key)).forEach(key -> changed.put(key, "(deleted)"));
    return changed;
  }

  /** The test settings of the projection with {@code group}, and Kafka timeouts short enough for a test. */
  private static Properties groupProperties(String topic, String namespace) {
    Properties props = Producers.properties(topic, namespace);
    props.setProperty("projection[users].group", "distcache-" + namespace);
    // the broker's lowest session timeout: a silent member loses its partitions after 6 s
    props.setProperty("kafka.session.timeout.ms", "6000");
    props.setProperty("kafka.heartbeat.interval.ms", "1000");
    return props;
  }

  private static List<Integer> owned(CacheProducer producer) {
    return producer.runners().get(0).status().partitions();
  }

  @SafeVarargs
  private static Set<Integer> union(List<Integer>... owned) {
    Set<Integer> all = new TreeSet<>();
    int count = 0;
    for (List<Integer> partitions : owned) {
      all.addAll(partitions);
      count += partitions.size();
    }
    assertThat(count).as("no partition is owned twice").isEqualTo(all.size());
    return all;
  }

  private static void publish(CoreTopic core, Random random, Set<Long> ids, int records) {
    for (int i = 0; i < records; i++) {
      long id = random.nextInt(USERS);
      ids.add(id);
      if (random.nextInt(8) == 0) {
        core.delete(id);
      } else {
        core.upsert(id);
      }
    }
    core.flush();
  }

  /**
   * Reads, over and over, the stored version of every user's entry and every partition's stored offset, and
   * remembers any that went back.
   */
  private static final class Watcher implements AutoCloseable {

    private final RedisClient client = RedisClient.create(Infra.redis().uri());
    private final StatefulRedisConnection<String, byte[]> redis =
        client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    private final String namespace;
    private final Map<Long, Long> versions = new ConcurrentHashMap<>();
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();
    private final List<String> regressions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean watching = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    Watcher(String namespace) {
      this.namespace = namespace;
      this.thread = new Thread(this::watch, "watcher-" + namespace);
      thread.start();
    }

    private void watch() {
      try {
        while (watching.get()) {
          Map<String, String> meta = meta();
          meta.forEach((field, value) -> {
            if (field.startsWith("offset:") && offsets.merge(field, Long.parseLong(value), Math::max) > Long.parseLong(value)) {
              regress(field + " went back to " + value);
            }
          });
          for (long id = 0; id < USERS; id++) {
            byte[] raw = redis.sync().get(entryKey(id));
            if (raw != null) {
              long version = Envelope.versionOf(raw);
              if (versions.merge(id, version, Math::max) > version) {
                regress("user:" + id + " went back to version " + version);
              }
            }
          }
        }
      } catch (RuntimeException | Error e) {
        failure.set(e);
      }
    }

    private void regress(String what) {
      regressions.add(what);
    }

    private String entryKey(long id) {
      return "dc:" + namespace + ":k:s:user:" + id;
    }

    Map<String, String> meta() {
      Map<String, String> meta = new HashMap<>();
      redis.sync().hgetall("dc:{dc}:" + namespace + ":meta")
          .forEach((field, value) -> meta.put(field, new String(value, StandardCharsets.UTF_8)));
      return meta;
    }

    /** The owner token Redis records per partition. */
    Map<Integer, String> ownersInRedis() {
      Map<Integer, String> owners = new HashMap<>();
      meta().forEach((field, value) -> {
        if (field.startsWith("owner:")) {
          owners.put(Integer.parseInt(field.substring("owner:".length())), value);
        }
      });
      return owners;
    }

    /** How many members own partitions in Redis (an owner token is the member's token, '/', a count). */
    long members() {
      return ownersInRedis().values().stream().map(token -> token.substring(0, token.indexOf('/'))).distinct().count();
    }

    /** Every user's entry as stored, hex-encoded. */
    Map<String, String> entries() {
      Map<String, String> entries = new HashMap<>();
      for (long id = 0; id < USERS; id++) {
        byte[] raw = redis.sync().get(entryKey(id));
        if (raw != null) {
          entries.put(entryKey(id), HexFormat.of().formatHex(raw));
        }
      }
      return entries;
    }

    void assertNothingWentBack(int keys) throws InterruptedException {
      watching.set(false);
      thread.join();
      assertThat(failure.get()).as("the watcher ran to the end").isNull();
      assertThat(versions).as("the watcher saw the entries").hasSize(keys);
      assertThat(regressions).as("versions and offsets that went back").isEmpty();
    }

    @Override
    public void close() throws InterruptedException {
      watching.set(false);
      thread.join();
      redis.close();
      client.shutdown();
    }
  }
}
