package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A near-cache hit is served in the JVM: it sends Redis no command about the cache's entries at all
 * (see {@link EntryCommandMonitor} for why MONITOR rather than command statistics).
 */
class NearHitTest {

  private static final int READS = 10_000;

  @StartedRedis
  private static RedisServer redis;
  private Nodes nodes;
  private EntryCommandMonitor monitor;
  private Cache<String, String> writer;
  private Cache<String, String> reader;

  @BeforeEach
  void twoNodes() {
    nodes = new Nodes(redis.uri(), "it-near-hit");
    MutableConfiguration<String, String> configuration =
        new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    writer = nodes.node().createCache("hits", configuration);
    reader = nodes.node().createCache("hits", configuration);
    monitor = EntryCommandMonitor.start(redis, "it-near-hit", "hits");
  }

  @AfterEach
  void closeNodes() {
    monitor.close();
    nodes.close();
  }

  @Test
  void repeatedReadsOfAValueAnotherManagerWroteSendNoDataCommand() {
    writer.put("sentinel", "before");
    assertThat(reader.get("sentinel")).isEqualTo("before");
    writer.put("user:42", "Ada");
    writer.put("sentinel", "after");
    // The reader's follower has applied the record of user:42 (logged before the sentinel's) when the
    // sentinel changes: the first read below comes after the invalidation, the usual order for a key
    // another manager wrote a while ago.
    await().atMost(Duration.ofSeconds(2)).until(() -> "after".equals(reader.get("sentinel")));
    assertThat(reader.get("user:42")).isEqualTo("Ada");

    monitor.clear();
    for (int i = 0; i < READS; i++) {
      assertThat(reader.get("user:42")).isEqualTo("Ada");
    }
    // Only commands on the namespace's entries count: the followers' blocking XREAD and the replica
    // heartbeat go on in the background, on their own schedule.
    assertThat(monitor.names()).isEmpty();

    // The recording itself works: a miss does show up.
    assertThat(reader.get("user:43")).isNull();
    assertThat(monitor.names()).containsExactly("get");
  }

  @Test
  void readsOfAValueThisManagerWroteSendNoDataCommand() {
    writer.put("user:7", "Grace");

    monitor.clear();
    for (int i = 0; i < READS; i++) {
      assertThat(writer.get("user:7")).isEqualTo("Grace");
    }
    assertThat(monitor.names()).isEmpty();
  }
}
