package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.cli.Main;
import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.fixture.CoreTopic;
import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.ProducerProcess;
import io.distcache.producer.fixture.Producers;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds beside the current generation on a standalone redis-server: a changed projection version, the
 * {@code rebuild} command, a lost namespace and a {@code kill -9} in the middle of a build. Edges read
 * through {@code javax.cache} throughout.
 */
class ShadowRebuildTest {

  private static final Logger LOG = LoggerFactory.getLogger(ShadowRebuildTest.class);
  private static final int USERS = 60_000;

  /**
   * Version 1 of the projection keeps the row's {@code name}; version 2 renames it {@code displayName}, so
   * every value read tells which generation it came from.
   */
  private static Properties version(Properties settings, int version) {
    if (version == 2) {
      settings.setProperty("projection[users].version", "2");
      settings.setProperty("projection[users].renames", "name:displayName");
    }
    return settings;
  }

  private static Map<Long, Map<String, Object>> renamed(Map<Long, Map<String, Object>> rows) {
    Map<Long, Map<String, Object>> expected = new HashMap<>();
    rows.forEach((id, row) -> {
      Map<String, Object> value = new LinkedHashMap<>();
      row.forEach((field, content) -> value.put(field.equals("name") ? "displayName" : field, content));
      expected.put(id, value);
    });
    return expected;
  }

  /** Publishes a row for each of the {@value #USERS} users. */
  private static void publishUsers(CoreTopic core, Set<Long> ids) {
    for (long id = 0; id < USERS; id++) {
      ids.add(id);
      core.upsert(id);
    }
    core.flush();
  }

  /** Builds version 1 of the projection, then stops the producer. */
  private static void buildFirstVersion(String topic, String namespace) {
    try (CacheProducer producer = CacheProducer.start(Producers.settings(topic, namespace))) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .until(() -> producer.runners().get(0).status().phase() == Phase.LIVE);
    }
  }

  private static String meta(String namespace, String field) {
    return Infra.redis().command("HGET", "dc:{dc}:" + namespace + ":meta", field);
  }

  private static long keysIn(String pattern) {
    return Long.parseLong(Infra.redis().command(Duration.ofSeconds(30), "EVAL", "local count, cursor = 0, '0' repeat"
        + " local page = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 10000) cursor = page[1]"
        + " count = count + #page[2] until cursor == '0' return count", "0", pattern));
  }

  /** A digest of an entry's value ({@code ""} when absent), to tell whether it changed. */
  private static String digest(String key) {
    return Infra.redis().command("EVAL", "local v = redis.call('GET', KEYS[1]) return v and redis.sha1hex(v) or ''",
        "1", key);
  }

  /** When an edge first read the new generation: the earliest such read's end among its readers. */
  private static long moved(List<Reader> readers, Edge edge) {
    return readers.stream().filter(reader -> reader.edge == edge).mapToLong(reader -> reader.firstNewEnd.get()).min()
        .orElse(Long.MAX_VALUE);
  }

  @Test
  void aNewProjectionVersionIsBuiltBesideAndSwitchedInWhileTwoManagersRead() throws Exception {
    String topic = "shadow.users";
    String namespace = "shadow";
    Infra.kafka().createCompactedTopic(topic, 4);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Edge first = Edge.separate(Infra.redis().uri(), namespace);
        Edge second = Edge.separate(Infra.redis().uri(), namespace)) {
      publishUsers(core, ids);
      buildFirstVersion(topic, namespace);
      String before = meta(namespace, "generation");
      String spaceBefore = meta(namespace, "space");
      assertThat(keysIn("dc:" + namespace + ":" + spaceBefore + ":k:*")).isEqualTo(USERS);

      GenerationWatch watch = new GenerationWatch(namespace, before);
      List<Reader> readers = List.of(new Reader(first), new Reader(first), new Reader(second), new Reader(second));
      watch.start();
      readers.forEach(Thread::start);
      try (CacheProducer rebuilt = CacheProducer.start(SettingsFile.parse(version(
          Producers.properties(topic, namespace), 2), "test"))) {
        await().atMost(Duration.ofSeconds(20)).until(() -> rebuilt.runners().get(0).status().phase() == Phase.BUILDING
            || watch.switchedNanos.get() != 0);
        // live changes while the new generation is built: they follow the switch
        for (long id = 0; id < 100; id++) {
          core.upsert(id);
        }
        core.flush();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
            .until(() -> watch.switchedNanos.get() != 0 && rebuilt.runners().get(0).status().phase() == Phase.LIVE);
        Thread.sleep(1500);
        readers.forEach(Reader::finish);
        watch.finish();

        long reads = readers.stream().mapToLong(reader -> reader.reads.get()).sum();
        LOG.info("{} reads by 4 threads on 2 managers; switch seen {} ms after the watch began; edges moved {} ms and"
            + " {} ms after it", reads, (watch.switchedNanos.get() - watch.startNanos) / 1_000_000,
            (moved(readers, first) - watch.switchedNanos.get()) / 1_000_000,
            (moved(readers, second) - watch.switchedNanos.get()) / 1_000_000);
        assertThat(reads).as("reads made").isGreaterThan(1_000);
        for (Reader reader : readers) {
          assertThat(reader.misses.get()).as("misses of keys present in both generations").isZero();
          assertThat(reader.firstNewEnd.get()).as("end of the first read of the new generation, after the generation"
              + " was last seen unswitched (else it read a half-built namespace)").isGreaterThan(watch.oldSeenNanos.get());
        }
        for (Edge edge : List.of(first, second)) {
          long moved = moved(readers, edge);
          assertThat(moved).as("an edge read the new generation").isNotEqualTo(Long.MAX_VALUE);
          assertThat(moved - watch.switchedNanos.get()).as("ns from the switch to the edge's first new read")
              .isLessThan(Duration.ofSeconds(1).toNanos());
          assertThat(readers.stream().filter(reader -> reader.edge == edge)
              .mapToLong(reader -> reader.oldAfterMoving(moved)).sum())
              .as("reads of the old generation begun after the edge had read the new one").isZero();
        }
        // live changes after the switch land in the new generation
        for (long id = 100; id < 200; id++) {
          core.upsert(id);
        }
        core.flush();
        Map<Long, Map<String, Object>> expected = renamed(core.state());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> first.matches(expected, ids) && second.matches(expected, ids));
        first.assertEquals(expected, ids);
        second.assertEquals(expected, ids);
        assertThat(meta(namespace, "projection-version")).isEqualTo("2");
        assertThat(rebuilt.registry().get("distcache.producer.builds").counter().count()).isEqualTo(1);
        // the old generation's key space is deleted in the background once edges had time to move
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> keysIn("dc:" + namespace + ":" + spaceBefore + ":k:*") == 0);
        assertThat(meta(namespace, "retired:" + spaceBefore)).isNull();
      } finally {
        readers.forEach(Reader::finish);
        watch.finish();
      }
    }
  }

  @Test
  void aRebuildForAnOffsetRegressionServesTheCurrentGenerationUntilTheSwitch() throws Exception {
    String topic = "regress.users";
    String namespace = "regress";
    Infra.kafka().createCompactedTopic(topic, 4);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Edge first = Edge.separate(Infra.redis().uri(), namespace);
        Edge second = Edge.separate(Infra.redis().uri(), namespace)) {
      publishUsers(core, ids);
      try (CacheProducer producer = CacheProducer.start(Producers.settings(topic, namespace))) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
            .until(() -> first.matches(core.state(), ids));
      }
      String before = meta(namespace, "generation");
      // as if the topic had been deleted and created again while no producer ran: the next one rebuilds
      Infra.redis().command("HSET", "dc:{dc}:" + namespace + ":meta", "topic-id", "an-earlier-topic");
      List<Reader> readers = List.of(new Reader(first), new Reader(second));
      readers.forEach(Thread::start);
      try (CacheProducer producer = CacheProducer.start(Producers.settings(topic, namespace))) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
            .until(() -> !before.equals(meta(namespace, "generation"))
                && producer.runners().get(0).status().phase() == Phase.LIVE);
        Thread.sleep(500);
      } finally {
        readers.forEach(Reader::finish);
      }
      long reads = readers.stream().mapToLong(reader -> reader.reads.get()).sum();
      long misses = readers.stream().mapToLong(reader -> reader.misses.get()).sum();
      LOG.info("{} reads during a rebuild for an offset regression, {} misses", reads, misses);
      assertThat(reads).isGreaterThan(1_000);
      assertThat(misses).as("misses of keys present before and after the rebuild").isZero();
      first.assertEquals(core.state(), ids);
    }
  }

  @Test
  void aDebeziumTruncateInTheMiddleOfABuildEmptiesItAndTheBuildGoesOn() throws Exception {
    String topic = "truncate.users";
    String namespace = "truncated";
    Infra.kafka().createCompactedTopic(topic, 1);
    Properties settings = Producers.properties(topic, namespace);
    settings.setProperty("projection[users].format", "debezium");
    settings.setProperty("projection[users].truncate", "clear");
    settings.setProperty("projection[users].batch-size", "500");
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Edge edge = new Edge(Infra.redis().uri(), namespace)) {
      for (long id = 0; id < 3_250; id++) {
        core.raw(CoreTopic.key(id), debezium(id, "before the truncate"));
      }
      // offset 3,250: in the middle of a poll of 500 records of the build, with 249 records after it in that poll
      core.raw(CoreTopic.key(-1), "{\"op\":\"t\"}".getBytes(StandardCharsets.UTF_8));
      for (long id = 2_000; id < 2_300; id++) {
        core.raw(CoreTopic.key(id), debezium(id, "after the truncate"));
      }
      core.flush();
      try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(settings, "test"))) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> producer.runners().get(0).status().phase() == Phase.LIVE);
        assertThat(producer.runners().get(0).status().toJson()).doesNotContain("FAILED");
        for (long id = 0; id < 3_250; id++) {
          Map<String, Object> value = edge.get(id);
          if (id >= 2_000 && id < 2_300) {
            assertThat(value).as("user %d, written after the truncate", id).containsEntry("name", "after the truncate");
          } else {
            assertThat(value).as("user %d, written before the truncate", id).isNull();
          }
        }
        assertThat(producer.registry().get("distcache.producer.builds").counter().count()).isEqualTo(1);
      }
    }
  }

  private static byte[] debezium(long id, String name) {
    return ("{\"op\":\"c\",\"after\":{\"id\":" + id + ",\"name\":\"" + name + "\"}}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void inPlaceRebuildsKeepTheFirstKeySpaceThatOlderEdgesRead() throws Exception {
    String topic = "inplace.users";
    String namespace = "inplace";
    Infra.kafka().createCompactedTopic(topic, 2);
    Set<Long> ids = new HashSet<>();
    Properties settings = Producers.properties(topic, namespace);
    settings.setProperty("projection[users].rebuild", "in-place");
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Edge edge = new Edge(Infra.redis().uri(), namespace)) {
      for (long id = 0; id < 1_000; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(settings, "test"))) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(core.state(), ids));
      }
      assertThat(meta(namespace, "space")).isNull();
      assertThat(meta(namespace, "state")).isNull();
      assertThat(digest("dc:" + namespace + ":k:s:user:1")).as("an entry in the first key space").isNotEmpty();

      try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(version(settings, 2), "test"))) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(renamed(core.state()), ids));
        assertThat(producer.registry().get("distcache.producer.rebuilds").counter().count()).isEqualTo(1);
      }
      assertThat(meta(namespace, "space")).isNull();
      assertThat(meta(namespace, "projection-version")).isEqualTo("2");
    }
  }

  @Test
  void theRebuildCommandRebuildsBesideTheCurrentGeneration(@TempDir Path dir) throws Exception {
    String topic = "command.users";
    String namespace = "command";
    Infra.kafka().createCompactedTopic(topic, 2);
    Set<Long> ids = new HashSet<>();
    Properties settings = Producers.properties(topic, namespace);
    Path config = dir.resolve("producer.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      settings.store(out, null);
    }
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        CacheProducer producer = CacheProducer.start(SettingsFile.parse(settings, "test"));
        Edge edge = new Edge(Infra.redis().uri(), namespace)) {
      for (long id = 0; id < 2_000; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> edge.matches(core.state(), ids));
      String before = meta(namespace, "generation");
      double buildsBefore = producer.registry().get("distcache.producer.builds").counter().count();

      int exit = Main.commandLine().execute("rebuild", "--config", config.toString(), "--projection", "users");

      assertThat(exit).isZero();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> producer.registry().get("distcache.producer.builds").counter().count() > buildsBefore);
      assertThat(meta(namespace, "generation")).isNotEqualTo(before);
      assertThat(meta(namespace, "rebuild-requested")).isNull();
      core.upsert(7);
      core.flush();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> edge.matches(core.state(), ids));
      assertThat(Main.commandLine().execute("rebuild", "--config", config.toString(), "--projection", "nope"))
          .as("exit code for an unknown projection").isEqualTo(Main.CONFIGURATION_ERROR);
    }
  }

  @Test
  void edgesServeTheirNearCopiesMarkedStaleWhileALostNamespaceIsRebuilt() {
    String topic = "lost.users";
    String namespace = "lost";
    Infra.kafka().createCompactedTopic(topic, 2);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Edge edge = new Edge(Infra.redis().uri(), namespace)) {
      for (long id = 0; id < 1_000; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      try (CacheProducer producer = CacheProducer.start(Producers.settings(topic, namespace))) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(core.state(), ids));
      }
      // the edge holds every row in its near cache now; Redis loses everything while no producer runs
      Infra.redis().command("FLUSHALL");
      await().atMost(Duration.ofSeconds(5)).until(edge::stale);
      edge.assertEquals(core.state(), ids);

      for (long id = 0; id < 10; id++) {
        core.upsert(id);
      }
      core.flush();
      try (CacheProducer producer = CacheProducer.start(Producers.settings(topic, namespace))) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> !edge.stale() && edge.matches(core.state(), ids));
        edge.assertEquals(core.state(), ids);
        assertThat(producer.registry().get("distcache.producer.builds").counter().count()).isEqualTo(1);
      }
    }
  }

  @Test
  void aBuildKilledHalfwayResumesAndNeverTouchesTheCurrentGeneration(@TempDir Path dir) throws Exception {
    String topic = "killbuild.users";
    String namespace = "killbuild";
    Infra.kafka().createCompactedTopic(topic, 4);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Edge edge = new Edge(Infra.redis().uri(), namespace)) {
      publishUsers(core, ids);
      buildFirstVersion(topic, namespace);
      String generation = meta(namespace, "generation");
      String space = meta(namespace, "space");
      String oldEntry = "dc:" + namespace + ":" + space + ":k:s:user:1";
      String digest = digest(oldEntry);

      Properties settings = version(Producers.properties(topic, namespace), 2);
      settings.setProperty("writer.claim-time", "1s");
      // small batches, so the build takes long enough to be cut off halfway
      settings.setProperty("projection[users].batch-size", "200");
      ProducerProcess producer = new ProducerProcess(dir, settings);
      try {
        producer.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2)).until(() -> builtSoFar(namespace) > 0);
        producer.kill();
        long builtAtKill = builtSoFar(namespace);
        LOG.info("SIGKILL during the build, {} of {} records loaded", builtAtKill, USERS);
        assertThat(builtAtKill).as("records loaded when killed").isLessThan(USERS);
        assertThat(meta(namespace, "generation")).as("the current generation").isEqualTo(generation);
        assertThat(meta(namespace, "space")).isEqualTo(space);
        assertThat(digest(oldEntry)).as("an entry of the current generation").isEqualTo(digest);
        edge.assertEquals(core.state(), ids);

        producer.start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
            .until(() -> !generation.equals(meta(namespace, "generation")));
        assertThat(producer.log()).contains("resuming the build of generation");
        Map<Long, Map<String, Object>> expected = renamed(core.state());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(expected, ids));
        edge.assertEquals(expected, ids);
        assertThat(digest(oldEntry)).as("the old generation's entry, until it is retired").isIn(digest, "");
      } finally {
        producer.kill();
      }
    }
  }

  private static long builtSoFar(String namespace) {
    long sum = 0;
    for (int partition = 0; partition < 4; partition++) {
      String offset = meta(namespace, "shadow-offset:" + partition);
      sum += offset == null || offset.isEmpty() ? 0 : Long.parseLong(offset);
    }
    return sum;
  }

  /** Polls the namespace's generation and notes when it first changes. */
  private static final class GenerationWatch extends Thread {

    final long startNanos = System.nanoTime();
    final AtomicLong switchedNanos = new AtomicLong();
    /** The last time the old generation was seen: a new read ending before it read a half-built namespace. */
    final AtomicLong oldSeenNanos = new AtomicLong(System.nanoTime());
    private final String namespace;
    private final String before;
    private final AtomicBoolean running = new AtomicBoolean(true);

    GenerationWatch(String namespace, String before) {
      super("generation-watch");
      this.namespace = namespace;
      this.before = before;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (running.get() && switchedNanos.get() == 0) {
        long asked = System.nanoTime();
        if (before.equals(meta(namespace, "generation"))) {
          oldSeenNanos.set(asked);
        } else {
          switchedNanos.set(System.nanoTime());
        }
      }
    }

    void finish() {
      running.set(false);
    }
  }

  /** Reads random keys of an edge, timing each read and telling which generation answered. */
  private final class Reader extends Thread {

    final Edge edge;
    final AtomicLong reads = new AtomicLong();
    final AtomicLong misses = new AtomicLong();
    /** The end of this thread's first read of the new generation, {@link Long#MAX_VALUE} before it. */
    final AtomicLong firstNewEnd = new AtomicLong(Long.MAX_VALUE);
    private final List<Long> oldReadStarts = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    Reader(Edge edge) {
      super("reader");
      this.edge = edge;
      setDaemon(true);
    }

    @Override
    public void run() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      while (running.get()) {
        long start = System.nanoTime();
        Map<String, Object> value = edge.get(random.nextLong(USERS));
        long end = System.nanoTime();
        reads.incrementAndGet();
        if (value == null) {
          misses.incrementAndGet();
        } else if (value.containsKey("displayName")) {
          firstNewEnd.accumulateAndGet(end, Math::min);
        } else {
          synchronized (oldReadStarts) {
            oldReadStarts.add(start);
          }
        }
      }
    }

    /** Reads of the old generation that began after {@code moved}. */
    long oldAfterMoving(long moved) {
      synchronized (oldReadStarts) {
        return oldReadStarts.stream().filter(start -> start > moved).count();
      }
    }

    void finish() {
      running.set(false);
      try {
        join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
