package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.DistCache;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * A change-log record whose key this JVM cannot decode (written by another tool, or by a release with
 * a key encoding this one lacks) must not cost the other records of its batch: the namespace's near
 * cache is flushed instead, and invalidation goes on.
 */
class PoisonRecordTest {

  /** Appends an undecodable record and a good one in one step, so the follower reads them in one batch. */
  private static final String APPEND_TWO = "redis.call('XADD', KEYS[1], '*', 'k', 'o:not base64!', 'v', ARGV[2]);"
      + " return redis.call('XADD', KEYS[1], '*', 'k', ARGV[1], 'v', ARGV[2])";

  @StartedRedis
  private RedisServer redis;

  @Test
  void anUndecodableKeyFlushesTheNamespaceAndTheRestOfItsBatchStillApplies() {
    try (Nodes nodes = new Nodes(redis.uri(), "poison")) {
      Cache<String, String> cache = nodes.node().createCache("p",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.put("k", "v1");
      cache.put("other", "x");
      DistCache<String, String> dist = Nodes.dist(cache);
      assertThat(dist.nearCopy("k")).isNotNull();
      long newer = dist.nearCopy("k").version() + 1000;

      redis.command("EVAL", APPEND_TWO, "1", Namespace.of("poison", "p").logKey(), "s:k", Long.toString(newer));

      await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
        assertThat(dist.nearCopy("k")).as("the good record's key").isNull();
        assertThat(dist.nearCopy("other")).as("flushed with the namespace").isNull();
      });
      assertThat(dist.metrics().undecodableRecords()).isEqualTo(1);
      cache.put("k", "v2");
      assertThat(cache.get("k")).isEqualTo("v2");
    }
  }
}
