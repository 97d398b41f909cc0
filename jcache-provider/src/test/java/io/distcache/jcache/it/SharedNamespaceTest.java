package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;

/**
 * Two caches of one CacheManager over one namespace ({@code cache[a].namespace=x},
 * {@code cache[b].namespace=x}): each gets every invalidation, and closing one leaves the other followed.
 */
class SharedNamespaceTest {

  private static final Duration PROPAGATION = Duration.ofSeconds(3);

  @StartedRedis
  private RedisServer redis;

  private static DistCacheConfiguration<String, String> onShared() {
    return new DistCacheConfiguration<String, String>().setNamespace("shared").setTypes(String.class, String.class);
  }

  @Test
  void bothCachesOfOneNamespaceAreInvalidatedAndClosingOneKeepsTheOtherFollowed() {
    try (Nodes nodes = new Nodes(redis.uri(), "shared-ns")) {
      Cache<String, String> writer = nodes.node().createCache("writer", onShared());
      CacheManager reader = nodes.node();
      Cache<String, String> first = reader.createCache("first", onShared());
      Cache<String, String> second = reader.createCache("second", onShared());
      writer.put("k", "v1");
      assertThat(first.get("k")).isEqualTo("v1");
      assertThat(second.get("k")).isEqualTo("v1");

      writer.put("k", "v2");
      await().atMost(PROPAGATION).untilAsserted(() -> {
        assertThat(first.get("k")).as("first cache").isEqualTo("v2");
        assertThat(second.get("k")).as("second cache").isEqualTo("v2");
      });

      first.close();
      writer.put("k", "v3");
      await().atMost(PROPAGATION).untilAsserted(() -> assertThat(second.get("k")).isEqualTo("v3"));
    }
  }
}
