package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.testkit.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With {@code read-from=replica} misses are served by the replica while writes go to the master. */
class ReplicaReadTest {

  private static RedisServer master;
  private static RedisServer replica;

  @BeforeAll
  static void startRedis() {
    master = RedisServer.start();
    replica = master.startReplica();
  }

  @AfterAll
  static void stopRedis() {
    replica.stop();
    master.stop();
  }

  @Test
  void readsGoToTheReplicaAndWritesToTheMaster() {
    try (Nodes nodes = new Nodes(master.uri(), "it-replica")) {
      MutableConfiguration<String, String> configuration =
          new MutableConfiguration<String, String>().setTypes(String.class, String.class);
      Cache<String, String> writer = nodes.node("defaults.read-from", "master").createCache("replicated", configuration);
      Cache<String, String> reader = nodes.node("defaults.read-from", "replica").createCache("replicated", configuration);
      writer.putAll(Map.of("a", "1", "b", "2", "c", "3"));
      replica.awaitSync();

      try (EntryCommandMonitor onMaster = EntryCommandMonitor.start(master, "it-replica", "replicated");
          EntryCommandMonitor onReplica = EntryCommandMonitor.start(replica, "it-replica", "replicated")) {
        replica.resetStats();
        assertThat(reader.get("a")).isEqualTo("1");
        assertThat(reader.getAll(Set.of("b", "c"))).isEqualTo(Map.of("b", "2", "c", "3"));
        // Command statistics (the heartbeat's GET may add to "get") and the exact view per node.
        assertThat(replica.commandCalls()).containsEntry("mget", 1L).containsKey("get");
        assertThat(onReplica.names()).containsExactly("get", "mget");
        assertThat(onMaster.names()).isEmpty();
      }

      master.resetStats();
      replica.resetStats();
      reader.put("d", "4");
      assertThat(RedisCommands.dataCalls(master)).containsEntry("evalsha", 1L);
      assertThat(replica.commandCalls()).doesNotContainKeys("evalsha", "eval");

      // A write through another manager replaces the reader's near copy.
      writer.put("a", "10");
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(1))
          .until(() -> "10".equals(reader.get("a")));
      replica.awaitSync();
      assertThat(reader.get("d")).isEqualTo("4");
    }
  }
}
