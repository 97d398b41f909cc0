package io.distcache.jcache.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.DistCache;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The documented meters appear in a registry and count what the cache did, on a real redis-server. */
class DistCacheMetricsTest {

  @StartedRedis
  private static RedisServer redis;
  private CacheManager manager;

  @AfterEach
  void closeManager() {
    if (manager != null) {
      manager.close();
    }
  }

  private Cache<String, String> cache(String name, String... settings) {
    Properties properties = new Properties();
    properties.setProperty("redis.key-prefix", "metrics-test");
    for (int i = 0; i < settings.length; i += 2) {
      properties.setProperty(settings[i], settings[i + 1]);
    }
    manager = Caching.getCachingProvider().getCacheManager(URI.create(redis.uri()),
        new ClassLoader("metrics-" + name, getClass().getClassLoader()) {
        }, properties);
    return manager.createCache(name, new MutableConfiguration<String, String>().setTypes(String.class, String.class));
  }

  @Test
  void countsNearAndRemoteReadsPutsAndLatency() {
    Cache<String, String> cache = cache("counted");
    MeterRegistry registry = new SimpleMeterRegistry();
    DistCacheMetrics.monitor(registry, cache, "app", "test");

    cache.put("a", "1");                                   // put, installs the near copy
    cache.get("a");                                        // near hit
    cache.get("a");                                        // near hit
    cache.unwrap(DistCache.class).nearCache().reset();     // forget the near copy
    cache.get("a");                                        // remote hit
    cache.get("missing");                                  // remote miss

    assertThat(count(registry, "distcache.puts", null, null)).isEqualTo(1);
    assertThat(count(registry, "distcache.near.gets", "result", "hit")).isEqualTo(2);
    assertThat(count(registry, "distcache.near.gets", "result", "miss")).isEqualTo(2);
    assertThat(count(registry, "distcache.remote.gets", "result", "hit")).isEqualTo(1);
    assertThat(count(registry, "distcache.remote.gets", "result", "miss")).isEqualTo(1);
    Timer latency = registry.get("distcache.remote.latency").tag("cache", "counted").tag("app", "test").timer();
    assertThat(latency.count()).isEqualTo(2);
    assertThat(latency.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    assertThat(latency.takeSnapshot().percentileValues()).hasSize(3);
    assertThat(registry.get("distcache.near.entries").tag("cache", "counted").gauge().value()).isPositive();
    assertThat(registry.get("distcache.near.weight").tag("cache", "counted").gauge().value()).isPositive();
  }

  @Test
  void publishesMicrometersStandardCacheMeters() {
    Cache<String, String> cache = cache("standard");
    MeterRegistry registry = new SimpleMeterRegistry();
    DistCacheMetrics.monitor(registry, cache, "app", "test");

    cache.put("a", "1");                                   // put
    cache.get("a");                                        // near hit
    cache.unwrap(DistCache.class).nearCache().reset();
    cache.get("a");                                        // remote hit
    cache.get("missing");                                  // remote miss
    cache.get("missing");                                  // remote miss again

    assertThat(count(registry, "cache.gets", "result", "hit")).isEqualTo(2);
    assertThat(count(registry, "cache.gets", "result", "miss")).isEqualTo(2);
    assertThat(count(registry, "cache.puts", null, null)).isEqualTo(1);
    assertThat(registry.get("cache.gets").tag("cache", "standard").tag("app", "test").meters()).hasSize(2);
    assertThat(registry.get("cache.size").tag("cache", "standard").gauge().value()).isPositive();
    assertThat(count(registry, "cache.evictions", null, null)).isZero();
  }

  @Test
  void timesHowLongChangesTookToReachTheNearCache() {
    Cache<String, String> cache = cache("lagged");
    MeterRegistry registry = new SimpleMeterRegistry();
    DistCacheMetrics.monitor(registry, cache);
    Timer applyLag = registry.get("distcache.apply.lag").tag("cache", "lagged").timer();
    String log = Namespace.of("metrics-test", "lagged").logKey();

    // A record whose id says it was committed 2 s ago (the log is empty, so an older id is accepted)
    redis.command("XADD", log, (System.currentTimeMillis() - 2000) + "-1", "k", "s:old", "v", "1");
    await().atMost(Duration.ofSeconds(5)).until(() -> applyLag.count() == 1);
    double backdated = applyLag.totalTime(TimeUnit.MILLISECONDS);
    assertThat(backdated).isGreaterThanOrEqualTo(2000);

    int writes = 20;
    Properties properties = new Properties();
    properties.setProperty("redis.key-prefix", "metrics-test");
    try (CacheManager writer = Caching.getCachingProvider().getCacheManager(URI.create(redis.uri()),
        new ClassLoader("metrics-lagged-writer", getClass().getClassLoader()) {
        }, properties)) {
      Cache<String, String> other = writer.createCache("lagged",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      for (int i = 0; i < writes; i++) {
        other.put("k" + i, "v" + i);
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> applyLag.count() == 1 + writes);
    // Plausible, not a speed claim: milliseconds from commit to apply on one host, not seconds or epoch times
    double meanOfWrites = (applyLag.totalTime(TimeUnit.MILLISECONDS) - backdated) / writes;
    assertThat(meanOfWrites).isBetween(0.0, 1000.0);
    assertThat(applyLag.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(2000);
    assertThat(applyLag.takeSnapshot().percentileValues()).extracting(value -> value.percentile())
        .containsExactly(0.5, 0.99);
  }

  @Test
  void publishesTheBreakerStateThroughAnOutage() {
    RedisServer own = RedisServer.start();
    try {
      Properties properties = new Properties();
      properties.setProperty("redis.key-prefix", "metrics-test");
      manager = Caching.getCachingProvider().getCacheManager(URI.create(own.uri()),
          new ClassLoader("metrics-breaker", getClass().getClassLoader()) {
          }, properties);
      Cache<String, String> cache = manager.createCache("breaker",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      MeterRegistry registry = new SimpleMeterRegistry();
      DistCacheMetrics.monitor(registry, cache);
      assertThat(breakerStates(registry)).containsExactly(1.0, 0.0, 0.0);
      assertThat(registry.get("distcache.replicas.bypassed").tag("cache", "breaker").gauge().value()).isZero();

      own.kill();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThatThrownBy(() -> cache.get("absent")).isInstanceOf(CacheException.class);
        assertThat(breakerStates(registry)).containsExactly(0.0, 1.0, 0.0);
      });

      own.restart();
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
        assertThat(cache.get("absent")).isNull();
        assertThat(breakerStates(registry)).containsExactly(1.0, 0.0, 0.0);
      });
    } finally {
      own.stop();
    }
  }

  /** The breaker-state gauges: closed, open, half-open. */
  private static List<Double> breakerStates(MeterRegistry registry) {
    return Stream.of("closed", "open", "half_open")
        .map(state -> registry.get("distcache.breaker.state").tag("state", state).gauge().value()).toList();
  }

  @Test
  void countsNearEvictionsBySizeAndByExpiry() {
    Cache<String, String> cache = cache("evicted", "defaults.near.max-items", "5",
        "defaults.near.max-ttl", "200ms");  // defaults.* reach caches created at run time
    MeterRegistry registry = new SimpleMeterRegistry();
    new DistCacheMetrics(cache, java.util.List.of()).bindTo(registry);
    DistCache<?, ?> dist = cache.unwrap(DistCache.class);

    for (int i = 0; i < 50; i++) {
      cache.put("k" + i, "v" + i);
    }
    dist.nearCache().cleanUp();
    assertThat(count(registry, "distcache.near.evictions", "cause", "size")).isPositive();
    assertThat(count(registry, "cache.evictions", null, null))
        .isEqualTo(count(registry, "distcache.near.evictions", "cause", "size")
            + count(registry, "distcache.near.evictions", "cause", "expired"));

    double expiredBefore = count(registry, "distcache.near.evictions", "cause", "expired");
    // Caffeine expires on its timer wheel, whose finest bucket spans about a second
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
      dist.nearCache().cleanUp();
      return count(registry, "distcache.near.evictions", "cause", "expired") > expiredBefore;
    });
  }

  @Test
  void publishesWhatTheChangeLogFollowerSurvived() {
    Cache<String, String> cache = cache("followed");
    MeterRegistry registry = new SimpleMeterRegistry();
    DistCacheMetrics.monitor(registry, cache);
    String log = Namespace.of("metrics-test", "followed").logKey();

    redis.command("XADD", log, "*", "k", "s:a", "v", "not-a-version");
    redis.command("XADD", log, "*", "k", "o:not base64!", "v", "7");
    cache.put("after", "1");

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
      assertThat(count(registry, "distcache.changelog.malformed", null, null)).isEqualTo(1);
      assertThat(count(registry, "distcache.changelog.undecodable", null, null)).isEqualTo(1);
    });
    assertThat(count(registry, "distcache.near.flushes", "cause", "undecodable_record")).isEqualTo(1);
    assertThat(registry.get("distcache.follower.running").tag("cache", "followed").gauge().value()).isEqualTo(1);
    assertThat(count(registry, "distcache.follower.failures", "stage", "listener")).isZero();
    assertThat(count(registry, "distcache.follower.failures", "stage", "loop")).isZero();
    assertThat(count(registry, "distcache.replica.stale.reads", null, null)).isZero();
  }

  @Test
  void countsNearCacheFlushesByCause() {
    Cache<String, String> cache = cache("flushed");
    MeterRegistry registry = new SimpleMeterRegistry();
    DistCacheMetrics.monitor(registry, cache);
    Namespace namespace = Namespace.of("metrics-test", "flushed");
    cache.put("a", "1");
    cache.put("b", "2");
    // The follower reads the version counter once a second, after the HMGET of the namespace's meta hash: two
    // more HMGETs mean a whole check began after the writes, and it saw the counter at 2.
    long checks = hmgets();
    await().atMost(Duration.ofSeconds(5)).until(() -> hmgets() >= checks + 2);

    // What a failover to a replica that lacked the last writes looks like: the version counter goes back.
    redis.command("DEL", namespace.sequenceKey());
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(count(registry, "distcache.near.flushes", "cause", "data_loss")).isEqualTo(1));

    // A namespace no producer owns that loses its meta hash gets a new generation: a loss, not a producer's switch.
    redis.command("DEL", namespace.metaKey());
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(count(registry, "distcache.near.flushes", "cause", "data_loss")).isEqualTo(2));
    for (String other : List.of("log_gap", "switch", "undecodable_record", "apply_failure", "tracking_restarted")) {
      assertThat(count(registry, "distcache.near.flushes", "cause", other)).as(other).isZero();
    }
  }

  private static long hmgets() {
    return redis.commandCalls().getOrDefault("hmget", 0L);
  }

  @Test
  void refusesCachesOfOtherProviders() {
    Cache<?, ?> foreign = java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Cache.class}, (proxy, method, args) -> method.getName().equals("getName") ? "x" : null)
        instanceof Cache<?, ?> c ? c : null;
    assertThatThrownBy(() -> new DistCacheMetrics(foreign, java.util.List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a distcache cache");
  }

  private static double count(MeterRegistry registry, String name, String tagKey, String tagValue) {
    var search = registry.get(name);
    if (tagKey != null) {
      search = search.tag(tagKey, tagValue);
    }
    return search.functionCounter().count();
  }
}
