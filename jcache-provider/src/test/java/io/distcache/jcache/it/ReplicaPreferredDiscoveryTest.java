package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * With the default {@code read-from=replicaPreferred}, a manager that connected while the master had no replica
 * moves its misses to a replica that joins later: the follower's once-a-second check sees the master list it
 * while replica-preferred reads are still answered by the master, and reconnects.
 */
class ReplicaPreferredDiscoveryTest {

  @StartedRedis
  private RedisServer master;

  @Test
  void aReplicaThatJoinsLaterServesTheMisses() {
    try (Nodes nodes = new Nodes(master.uri(), "it-replica-preferred")) {
      MutableConfiguration<String, String> configuration =
          new MutableConfiguration<String, String>().setTypes(String.class, String.class).setStoreByValue(false);
      Cache<String, String> reader = nodes.node("defaults.near.max-items", "0").createCache("joined", configuration);
      reader.put("a", "1");
      assertThat(reader.get("a")).isEqualTo("1");

      try (RedisServer replica = master.startReplica()) {
        replica.awaitSync();
        try (EntryCommandMonitor onReplica = EntryCommandMonitor.start(replica, "it-replica-preferred", "joined")) {
          await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(reader.get("a")).isEqualTo("1");
            assertThat(onReplica.names()).as("the cache's reads the replica served").contains("get");
          });
        }
      }
    }
  }
}
