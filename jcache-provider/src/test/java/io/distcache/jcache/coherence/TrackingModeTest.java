package io.distcache.jcache.coherence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.spi.DistCachingProvider;
import io.distcache.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A namespace written by a tool that never appends to the change log: listed in
 * {@code tracking.namespaces}, its near copies are dropped through Redis client tracking, also after
 * the tracking connection was killed and came back.
 */
class TrackingModeTest {

  private RedisServer redis;
  private ForeignWriter foreign;
  private CacheManager manager;
  private Cache<String, String> prices;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    foreign = new ForeignWriter(redis.uri(), "foreign");
    Properties properties = new Properties();
    properties.setProperty("tracking.namespaces", "foreign");
    manager = new DistCachingProvider().getCacheManager(URI.create(redis.uri()), getClass().getClassLoader(),
        properties);
    prices = manager.createCache("prices", new DistCacheConfiguration<String, String>()
        .setNamespace("foreign").setTypes(String.class, String.class));
  }

  @AfterEach
  void stop() {
    manager.close();
    foreign.close();
    redis.stop();
  }

  @Test
  void aForeignWriteDropsTheNearCopy() {
    writeForeign("1.00", 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> "1.00".equals(prices.get("apple")));
    assertThat(nearValue()).isEqualTo("1.00");

    writeForeign("1.10", 2);
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
        .until(() -> "1.10".equals(prices.get("apple")));
  }

  @Test
  void trackingIsReEnabledAfterItsConnectionIsKilled() {
    writeForeign("1.00", 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> "1.00".equals(prices.get("apple")));

    redis.command("CLIENT", "KILL", "TYPE", "normal");
    // Invalidations sent while tracking was off are lost: re-enabling it flushes the tracked near copies.
    await().atMost(Duration.ofSeconds(5)).until(() -> nearValue() == null);
    await().atMost(Duration.ofSeconds(5)).until(() -> "1.00".equals(prices.get("apple")) && nearValue() != null);
    writeForeign("1.20", 3);

    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .until(() -> "1.20".equals(prices.get("apple")));
  }

  @Test
  void flushallDropsTrackedNearCopies() {
    writeForeign("1.00", 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> "1.00".equals(prices.get("apple")));

    redis.command("FLUSHALL");

    await().atMost(Duration.ofSeconds(2)).until(() -> prices.get("apple") == null);
  }

  private void writeForeign(String value, long version) {
    foreign.write("apple", value, version);
  }

  private Object nearValue() {
    var cached = prices.unwrap(io.distcache.jcache.DistCache.class).nearCopy("apple");
    return cached == null ? null : cached.value();
  }
}
