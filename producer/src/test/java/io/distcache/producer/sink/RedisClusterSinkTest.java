package io.distcache.producer.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.CacheProducer;
import io.distcache.producer.ProjectionRunner;
import io.distcache.producer.config.ProducerSettings;
import io.distcache.producer.config.RedisSettings;
import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.fixture.ClusterNamespace;
import io.distcache.producer.fixture.CoreTopic;
import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.KillScenario;
import io.distcache.producer.fixture.Producers;
import io.distcache.producer.fixture.TwinsScenario;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.producer.sink.Claim;
import io.distcache.producer.sink.EntryWrite;
import io.distcache.producer.sink.NamespaceSink;
import io.distcache.producer.sink.OffsetMove;
import io.distcache.producer.sink.PendingBatch;
import io.distcache.producer.sink.RedisTarget;
import io.distcache.producer.sink.SinkUnavailableException;
import io.distcache.producer.source.SourceIdentity;
import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.codec.ValueCodec;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer on a real Redis Cluster (3 masters, 1 replica each; {@code redis.cluster = true}): the
 * log-first batches keep the namespace an exact projection, fenced against zombies, rebuilt after a
 * flush and after {@code kill -9}, with entries spread over every master.
 */
class RedisClusterSinkTest {

  private static final Logger LOG = LoggerFactory.getLogger(RedisClusterSinkTest.class);
  private static final int RECORDS = 100_000;
  private static final int USERS = 60_000;
  private static final ValueCodec CODEC = new KryoValueCodec(ClassAllowList.defaults(), 4096,
      RedisClusterSinkTest.class.getClassLoader());

  @Test
  void backloadAndLiveUpdatesEqualTheCompactedStateWithEntriesOnEveryMaster() {
    Infra.kafka().createCompactedTopic("cluster.backload.users", 4);
    Random random = new Random(7);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "cluster.backload.users");
        ClusterNamespace namespace = new ClusterNamespace("cbackload")) {
      for (int i = 0; i < RECORDS; i++) {
        long id = i < USERS ? i : random.nextInt(USERS);
        ids.add(id);
        if (i >= USERS && random.nextInt(10) == 0) {
          core.delete(id);
        } else {
          core.upsert(id);
        }
      }
      core.flush();
      // the first backload of a JVM runs cold (JIT, connections); it warms up and is not reported
      backload(Producers.clusterSettings("cluster.backload.users", "cbackload-warmup"));
      double clusterRate = backload(Producers.clusterSettings("cluster.backload.users", "cbackload"));
      Properties acks = Producers.clusterProperties("cluster.backload.users", "cbackload-acks");
      acks.setProperty("redis.cluster.replica-acks", "1");
      double acksRate = backload(SettingsFile.parse(acks, "test"));
      double standaloneRate = backload(Producers.settings("cluster.backload.users", "cbackload-standalone"));
      LOG.info("BACKLOAD {} records (4 partitions, JSON rows ~120 bytes), producer start included: Redis Cluster"
          + " (3 masters, 1 replica each, log-first batches) {} records/s, with replica-acks = 1 {} records/s;"
          + " standalone redis-server (atomic batches) {} records/s", RECORDS, Math.round(clusterRate),
          Math.round(acksRate), Math.round(standaloneRate));

      try (CacheProducer producer = CacheProducer.start(Producers.clusterSettings("cluster.backload.users", "cbackload"));
          Edge edge = Edge.onCluster(Infra.cluster().seedsUri(), "cbackload")) {
        namespace.assertEquals(core.state(), ids);
        // the edge reads every key through javax.cache, so its near cache holds them all
        edge.assertEquals(core.state(), ids);
        assertThat(core.state()).hasSizeLessThan(ids.size());
        for (RedisServer master : Infra.cluster().masters()) {
          assertThat(namespace.entriesOn(master)).as("entries on master %s", master).isGreaterThan(1_000);
        }

        // live: updates, deletes and re-creations of keys already written
        Set<Long> live = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
          long id = random.nextInt(USERS + 100);
          ids.add(id);
          live.add(id);
          if (random.nextInt(4) == 0) {
            core.delete(id);
          } else {
            core.upsert(id);
          }
        }
        core.flush();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> namespace.matches(core.state(), ids));
        namespace.assertEquals(core.state(), ids);
        // the edge's near copies of changed keys were dropped through the change log
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(core.state(), ids));
        // every final change is in the change log with its version, so edges drop exactly these keys
        Set<String> logged = namespace.newestLogRecords(10_000);
        for (long id : live) {
          byte[] raw = namespace.raw(id);
          if (raw != null) {
            assertThat(logged).as("log record of user:%d", id)
                .contains(namespace.encodedKey(id) + "@" + Envelope.versionOf(raw));
          }
        }
      }
    }
  }

  /** Runs a producer until its backload is done, in records per second (start-up included). */
  private static double backload(ProducerSettings settings) {
    long start = System.nanoTime();
    try (CacheProducer producer = CacheProducer.start(settings)) {
      ProjectionRunner runner = producer.runners().get(0);
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
          .until(() -> runner.status().phase() == Phase.LIVE);
      return RECORDS / ((System.nanoTime() - start) / 1e9);
    }
  }

  @Test
  void fencesRefuseBeforeAnythingIsWrittenAndPipelinedBatchesFollowEachOther() {
    Namespace layout = Namespace.of("dc", "cfence");
    try (RedisTarget target = RedisTarget.of(RedisSettings.cluster(Infra.cluster().uri(), 0));
        ClusterNamespace namespace = new ClusterNamespace("cfence")) {
      NamespaceSink sink = new NamespaceSink(target, layout, "t1", 1000, Duration.ofMinutes(5), true);
      sink.loadScripts();
      String generation = claim(sink, "g1").generation();
      assertThat(generation).isEqualTo("g1");
      NamespaceSink other = new NamespaceSink(target, layout, "t2", 1000, Duration.ofMinutes(5), true);
      other.loadScripts();
      assertThat(claim(other, "g9").held()).as("the namespace is claimed by t1").isFalse();

      EntryWrite first = write(namespace, 1, 10, false);
      assertThat(sink.send(List.of(first), Map.of(0, new OffsetMove(null, 11)), "other").await())
          .isEqualTo(PendingBatch.GENERATION_CHANGED);
      assertThat(sink.send(List.of(first), Map.of(0, new OffsetMove(5L, 11)), generation).await())
          .isEqualTo(PendingBatch.OFFSETS_MOVED);
      assertThat(other.send(List.of(first), Map.of(0, new OffsetMove(null, 11)), generation).await())
          .as("an instance without the claim").isEqualTo(PendingBatch.FENCED);
      assertThat(namespace.raw(1)).isNull();
      assertThat(namespace.newestLogRecords(10)).isEmpty();
      assertThat(sink.offsets()).isEmpty();

      // three batches in flight at once: each announce waits for the commit before it
      PendingBatch a = sink.send(List.of(first), Map.of(0, new OffsetMove(null, 11)), generation);
      PendingBatch b = sink.send(List.of(write(namespace, 2, 11, false), write(namespace, 1, 12, true)),
          Map.of(0, new OffsetMove(11L, 13)), generation);
      PendingBatch c = sink.send(List.of(write(namespace, 1, 9, false)), Map.of(0, new OffsetMove(13L, 14)), generation);
      assertThat(a.await()).isEqualTo(1);
      assertThat(b.await()).isEqualTo(2);
      assertThat(c.await()).as("an older write cannot resurrect a deleted key").isZero();
      assertThat(Envelope.parse(namespace.raw(1)).isTombstone()).isTrue();
      assertThat(Envelope.versionOf(namespace.raw(1))).isEqualTo(12);
      assertThat(Envelope.versionOf(namespace.raw(2))).isEqualTo(11);
      assertThat(sink.offsets()).containsExactly(Map.entry(0, 14L));
      assertThat(namespace.newestLogRecords(10)).contains(namespace.encodedKey(1) + "@10",
          namespace.encodedKey(2) + "@11", namespace.encodedKey(1) + "@12");

      // a replay from the old position is refused by the fence, a stale writer by the version rule
      assertThat(sink.send(List.of(first), Map.of(0, new OffsetMove(null, 11)), generation).await())
          .isEqualTo(PendingBatch.OFFSETS_MOVED);
      assertThat(Envelope.versionOf(namespace.raw(1))).isEqualTo(12);

      // a truncate replayed from before the last batch, or by an instance without the claim, removes nothing
      assertThat(sink.truncate(generation, new OffsetMove(13L, 14), 0, "g2")).isEqualTo(PendingBatch.OFFSETS_MOVED);
      assertThat(other.truncate(generation, new OffsetMove(14L, 15), 0, "g2")).isEqualTo(PendingBatch.FENCED);
      assertThat(namespace.raw(2)).isNotNull();

      assertThat(sink.truncate(generation, new OffsetMove(14L, 15), 0, "g2")).isZero();
      assertThat(namespace.raw(1)).isNull();
      assertThat(namespace.raw(2)).isNull();
      assertThat(namespace.generation()).isEqualTo("g2");
      assertThat(sink.offsets()).containsExactly(Map.entry(0, 15L));
      assertThat(namespace.newestLogRecords(1)).containsExactly(Namespace.CLEAR_MARKER + "@14");
      sink.close();
      other.close();
    }
  }

  @Test
  void replicaAcksKeepTheOffsetsUntilEveryWrittenMastersReplicaHasTheEntries() {
    Namespace layout = Namespace.of("dc", "cacks");
    try (RedisTarget target = RedisTarget.of(RedisSettings.cluster(Infra.cluster().uri(), 1));
        ClusterNamespace namespace = new ClusterNamespace("cacks")) {
      NamespaceSink sink = new NamespaceSink(target, layout, "t1", 1000, Duration.ofMinutes(5), true);
      sink.loadScripts();
      String generation = claim(sink, "g1").generation();
      assertThat(sink.send(writes(namespace, 0), Map.of(0, new OffsetMove(null, 300)), generation).await()).isEqualTo(300);
      assertThat(sink.offsets()).containsExactly(Map.entry(0, 300L));

      // the replica of master 0 stops acknowledging: the batch's entries reach master 0, its offsets must not move
      RedisServer replica = Infra.cluster().replicas().get(0);
      replica.pause();
      try {
        assertThatThrownBy(() -> sink.send(writes(namespace, 300), Map.of(0, new OffsetMove(300L, 600)), generation)
            .await()).isInstanceOf(SinkUnavailableException.class)
            .hasMessageContaining("only 0 of 1 replicas of the master at " + Infra.cluster().masters().get(0).host() + ":"
                + Infra.cluster().masters().get(0).port());
        assertThat(sink.offsets()).containsExactly(Map.entry(0, 300L));
      } finally {
        replica.resume();
      }
      Infra.cluster().awaitHealthy();
      // the retry finds the entries written (the version rule skips them) and moves the offsets
      assertThat(sink.send(writes(namespace, 300), Map.of(0, new OffsetMove(300L, 600)), generation).await()).isZero();
      assertThat(sink.offsets()).containsExactly(Map.entry(0, 600L));
      sink.close();
    }
  }

  /** 300 writes of users 0..299, versions from {@code firstVersion}: every master holds some of them. */
  private static List<EntryWrite> writes(ClusterNamespace namespace, long firstVersion) {
    List<EntryWrite> writes = new ArrayList<>();
    for (long id = 0; id < 300; id++) {
      writes.add(write(namespace, id, firstVersion + id, false));
    }
    return writes;
  }

  private static EntryWrite write(ClusterNamespace namespace, long id, long version, boolean delete) {
    byte[] envelope = delete ? Envelope.tombstone(version).toBytes()
        : Envelope.of(CODEC.encode(Map.of("id", id)), version).toBytes();
    return new EntryWrite(namespace.encodedKey(id), version, envelope);
  }

  @Test
  void flushAllIsNoticedAndTheNamespaceIsRebuilt() {
    Infra.kafka().createCompactedTopic("cluster.flush.users", 3);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "cluster.flush.users");
        CacheProducer producer = CacheProducer.start(Producers.clusterSettings("cluster.flush.users", "cflush"));
        ClusterNamespace namespace = new ClusterNamespace("cflush")) {
      for (long id = 0; id < 5_000; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> namespace.matches(core.state(), ids));
      double rebuildsBefore = producer.registry().get("distcache.producer.rebuilds").counter().count();
      String generationBefore = namespace.generation();

      Infra.cluster().flushAll();
      // written after the flush; the namespace must end up with these and every earlier row
      for (long id = 0; id < 200; id++) {
        core.upsert(id);
      }
      core.delete(4_999);
      core.flush();

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> namespace.matches(core.state(), ids));
      namespace.assertEquals(core.state(), ids);
      assertThat(producer.registry().get("distcache.producer.rebuilds").counter().count()).isGreaterThan(rebuildsBefore);
      assertThat(namespace.generation()).isNotEmpty().isNotEqualTo(generationBefore);
    }
  }

  @Test
  void twoInstancesOnOneProjectionNeverLeaveAnOlderValue() throws Exception {
    try (ClusterNamespace namespace = new ClusterNamespace("ctwins");
        ClusterNamespace watched = new ClusterNamespace("ctwins")) {
      TwinsScenario.run("cluster.twins.users", () -> Producers.clusterSettings("cluster.twins.users", "ctwins"),
          namespace, watched::raw);
    }
  }

  @Test
  void aKilledProducerRestartsIntoTheExactCompactedState(@TempDir Path dir) throws Exception {
    try (ClusterNamespace namespace = new ClusterNamespace("ckill")) {
      new KillScenario("cluster.kill.users", Producers.clusterProperties("cluster.kill.users", "ckill"), namespace,
          () -> namespace.storedOffsets(KillScenario.partitions())).run(dir, 97);
    }
  }

  /** Claims the namespace for the sink's instance for 30 s, with {@code candidate} as its generation when it has none. */
  static Claim claim(NamespaceSink sink, String candidate) {
    return sink.claim(Duration.ofSeconds(30), candidate, "producer:test", "java.util.Map", new SourceIdentity("", 1));
  }
}
