package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import java.time.Duration;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failover to a replica that lacks the master's last writes: the namespace's version counter goes
 * back, and the versions it hands out next collide with the lost ones. Near copies at a lost version
 * must be dropped, not kept because they look as new as every later change-log record.
 *
 * <p>The failover keeps the address: the old master replicates the stale replica (losing its last
 * writes with a full resynchronisation) and is then promoted again, as Sentinel would promote a
 * replica that missed the last writes.
 */
class FailoverDataLossTest {

  private RedisServer master;
  private RedisServer stale;

  @BeforeEach
  void startRedis() {
    master = RedisServer.start();
    stale = master.startReplica();
  }

  @AfterEach
  void stopRedis() {
    stale.stop();
    master.stop();
  }

  @Test
  void nearCopiesAtVersionsLostInAFailoverAreDropped() {
    try (Nodes nodes = new Nodes(master.uri(), "lost")) {
      MutableConfiguration<String, String> strings =
          new MutableConfiguration<String, String>().setTypes(String.class, String.class);
      Cache<String, String> writer = nodes.node("defaults.read-from", "master").createCache("c", strings);
      Cache<String, String> edge = nodes.node("defaults.read-from", "master").createCache("c", strings);
      for (int i = 0; i < 10; i++) {
        writer.put("k" + i, "v1");
      }
      stale.awaitSync();
      assertThat(edge.get("k0")).isEqualTo("v1");
      stale.command("REPLICAOF", "NO", "ONE");

      writer.put("k0", "lost");
      await().atMost(Duration.ofSeconds(3)).until(() -> Nodes.dist(edge).nearCopy("k0") == null);
      assertThat(edge.get("k0")).isEqualTo("lost");

      failOverTo(stale);
      writer.put("k0", "after");

      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
          .untilAsserted(() -> assertThat(edge.get("k0")).isEqualTo("after"));
    }
  }

  /** Gives {@link #master} the data of {@code replica} (losing what only the master had), then promotes it. */
  private void failOverTo(RedisServer replica) {
    String sequence = Namespace.of("lost", "c").sequenceKey();
    master.command("REPLICAOF", replica.host(), Integer.toString(replica.port()));
    await().atMost(Duration.ofSeconds(10)).until(() -> master.command("INFO", "replication")
        .contains("master_link_status:up") && "10".equals(master.command("GET", sequence)));
    master.command("REPLICAOF", "NO", "ONE");
  }
}
