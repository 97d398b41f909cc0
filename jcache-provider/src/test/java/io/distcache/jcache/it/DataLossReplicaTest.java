package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.testkit.RedisServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The master loses the namespace (FLUSHALL) while its replica does not follow and keeps the old
 * data: after the new generation is seen, reads must not refill near caches from that replica,
 * whose old versions are higher than anything the restarted version counter writes (the near
 * copies would never be invalidated again).
 */
class DataLossReplicaTest {

  private static final int KEYS = 20;

  private RedisServer master;
  private RedisServer replica;

  @BeforeEach
  void startRedis() {
    master = RedisServer.start();
    replica = master.startReplica();
  }

  @AfterEach
  void stopRedis() {
    replica.stop();
    master.stop();
  }

  @Test
  void afterAGenerationChangeReadsStayOnTheMasterUntilTheReplicaHasTheNewGeneration() throws Exception {
    try (Nodes nodes = new Nodes(master.uri(), "it-loss")) {
      MutableConfiguration<String, String> configuration =
          new MutableConfiguration<String, String>().setTypes(String.class, String.class);
      Cache<String, String> writer = nodes.node("defaults.read-from", "master").createCache("lossy", configuration);
      Cache<String, String> reader = nodes.node("defaults.read-from", "replica", "outage.replica-max-lag", "1h")
          .createCache("lossy", configuration);
      Map<String, String> before = new HashMap<>();
      for (int i = 0; i < KEYS; i++) {
        before.put("k" + i, "old-" + i);
      }
      writer.putAll(before);
      replica.awaitSync();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reader.getAll(before.keySet())).isEqualTo(before));

      // The replica stops following (a dead master port) but keeps answering with the old data.
      try (ServerSocket nothing = new ServerSocket(0)) {
        replica.command("REPLICAOF", "127.0.0.1", Integer.toString(nothing.getLocalPort()));
      }
      master.command("FLUSHALL");
      writer.put("k0", "new-0");
      writer.remove("k1");

      await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
          .untilAsserted(() -> assertThat(reader.get("k0")).isEqualTo("new-0"));
      for (int round = 0; round < 20; round++) {
        assertThat(reader.get("k0")).isEqualTo("new-0");
        assertThat(reader.get("k1")).isNull();
        for (int i = 2; i < KEYS; i++) {
          assertThat(reader.get("k" + i)).as("k%d lost with the flush", i).isNull();
        }
        Thread.sleep(100);
      }
    }
  }
}
