package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.testkit.RedisServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A replica whose replication is delayed ({@code CLIENT PAUSE <ms> WRITE} sent to the replica: it
 * keeps answering reads with its old data, and applies the master's stream only when the pause
 * ends). No CacheManager may return a version older than one it already knows for that key: its own
 * last write, or a change-log record it received. The heartbeat check is told to tolerate any lag, so it
 * never moves reads to the master here: only the version rule keeps these reads correct.
 */
class ReplicaLagTest {

  private static final String PAUSE_MILLIS = "3000";

  private RedisServer master;
  private RedisServer replica;

  @BeforeEach
  void startRedis() {
    master = RedisServer.start();
    replica = master.startReplica();
    replica.awaitSync();
  }

  @AfterEach
  void stopRedis() {
    replica.stop();
    master.stop();
  }

  /** Reads from the replica, however far it trails: no heartbeat rescue. */
  private static final String[] TRUSTING = {"outage.replica-max-lag", "1h"};

  private static MutableConfiguration<String, String> strings() {
    return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
  }

  private void delayReplication() {
    replica.awaitSync();
    replica.command("CLIENT", "PAUSE", PAUSE_MILLIS, "WRITE");
  }

  @Test
  void aManagerNeverReadsBackWhatItRemoved() {
    try (Nodes nodes = new Nodes(master.uri(), "lag-own")) {
      Cache<String, String> cache = nodes.node(TRUSTING).createCache("own", strings());
      cache.put("k", "v1");
      cache.put("gone", "x");
      delayReplication();

      cache.remove("k");
      cache.remove("gone");

      assertThat(cache.get("k")).as("get after remove").isNull();
      assertThat(cache.containsKey("gone")).as("containsKey after remove").isFalse();
      assertThat(cache.getAll(Set.of("k", "gone"))).as("getAll after remove").isEmpty();
      assertThat(Nodes.dist(cache).metrics().staleReplicaReads()).isPositive();
    }
  }

  @Test
  void aManagerNeverReadsAVersionOlderThanARecordItReceived() {
    try (Nodes nodes = new Nodes(master.uri(), "lag-other")) {
      Cache<String, String> writer = nodes.node("defaults.read-from", "master").createCache("other", strings());
      Cache<String, String> reader = nodes.node(TRUSTING).createCache("other", strings());
      Map<String, String> first = new HashMap<>();
      for (int i = 0; i < 10; i++) {
        first.put("k" + i, "v1-" + i);
      }
      writer.putAll(first);
      replica.awaitSync();
      assertThat(reader.getAll(first.keySet())).isEqualTo(first);
      delayReplication();

      writer.put("k0", "v2-0");
      writer.put("k1", "v2-1");
      writer.put("k2", "v2-2");
      writer.remove("k3");
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5)).until(() ->
          Nodes.dist(reader).nearCopy("k0") == null && Nodes.dist(reader).nearCopy("k1") == null
              && Nodes.dist(reader).nearCopy("k2") == null && Nodes.dist(reader).nearCopy("k3") == null);

      assertThat(reader.get("k0")).as("get after the record").isEqualTo("v2-0");
      assertThat(reader.getAll(Set.of("k1", "k4"))).as("getAll after the record")
          .isEqualTo(Map.of("k1", "v2-1", "k4", "v1-4"));
      assertThat(reader.containsKey("k3")).as("containsKey after the removal's record").isFalse();
      Map<String, String> iterated = new HashMap<>();
      reader.forEach(entry -> iterated.put(entry.getKey(), entry.getValue()));
      assertThat(iterated).as("iteration after the records").containsEntry("k2", "v2-2").doesNotContainKey("k3");
      assertThat(reader.get("k1")).as("the near copy filled from the master").isEqualTo("v2-1");
    }
  }

  @Test
  void conditionalOperationsAndInvokeActOnTheNewestVersion() {
    try (Nodes nodes = new Nodes(master.uri(), "lag-cond")) {
      Cache<String, String> writer = nodes.node("defaults.read-from", "master").createCache("cond", strings());
      Cache<String, String> reader = nodes.node(TRUSTING).createCache("cond", strings());
      writer.put("k", "v1");
      replica.awaitSync();
      assertThat(reader.get("k")).isEqualTo("v1");
      delayReplication();

      writer.put("k", "v2");
      await().atMost(Duration.ofSeconds(2)).until(() -> Nodes.dist(reader).nearCopy("k") == null);

      String seenByInvoke = reader.invoke("k", (entry, args) -> entry.getValue());
      assertThat(seenByInvoke).isEqualTo("v2");
      assertThat(reader.replace("k", "v1", "v3")).isFalse();
      assertThat(reader.get("k")).isEqualTo("v2");
    }
  }
  @Test
  void aCacheCreatedWhileItsReplicaLagsStillLearnsOfTheWritesItsReplicaLacks() {
    try (Nodes nodes = new Nodes(master.uri(), "lag-new")) {
      Cache<String, String> writer = nodes.node("defaults.read-from", "master").createCache("fresh", strings());
      writer.put("k", "v1");
      delayReplication();
      writer.put("k", "v2");

      Cache<String, String> late = nodes.node(TRUSTING).createCache("fresh", strings());
      late.get("k");

      await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(20))
          .untilAsserted(() -> assertThat(late.get("k")).isEqualTo("v2"));
    }
  }
  /** Without a replay of its own (see CrossNodeVisibilityTest), it reads the master while a replica may trail. */
  @Test
  void aSecondCacheOverAFollowedNamespaceNeverReadsWhatItsLaggingReplicaLacks() {
    try (Nodes nodes = new Nodes(master.uri(), "lag-second")) {
      Cache<String, String> writer = nodes.node("defaults.read-from", "master").createCache("shared", strings());
      CacheManager edge = nodes.node("outage.replica-max-lag", "10s");
      Cache<String, String> first = edge.createCache("shared", strings());
      writer.put("k", "v1");
      replica.awaitSync();
      assertThat(first.get("k")).isEqualTo("v1");
      delayReplication();
      writer.put("k", "v2");
      await().atMost(Duration.ofSeconds(2)).until(() -> "v2".equals(first.get("k")));

      Cache<String, String> second = edge.createCache("shared-too", new DistCacheConfiguration<String, String>()
          .setNamespace("shared").setTypes(String.class, String.class));
      assertThat(second.get("k")).isEqualTo("v2");
      assertThat(second.get("k")).as("its near copy").isEqualTo("v2");
    }
  }

  @Test
  void aClearedNamespaceIsNotReadBackFromALaggingReplica() {
    try (Nodes nodes = new Nodes(master.uri(), "lag-clear")) {
      Cache<String, String> writer = nodes.node("defaults.read-from", "master").createCache("cleared", strings());
      Cache<String, String> reader = nodes.node(TRUSTING).createCache("cleared", strings());
      writer.put("k", "v1");
      replica.awaitSync();
      delayReplication();

      writer.clear();

      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
          .untilAsserted(() -> assertThat(reader.get("k")).as("a key the clear removed").isNull());
      assertThat(Nodes.dist(reader).metrics().staleReplicaReads()).isPositive();
      writer.put("k", "v2");
      assertThat(writer.get("k")).isEqualTo("v2");
    }
  }
}
