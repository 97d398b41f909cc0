package io.distcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.coherence.FlushCause;
import io.distcache.jcache.coherence.ForeignWriter;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.near.NearEntry;
import io.distcache.jcache.spi.DistCachingProvider;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code near.preload=all}: the namespace streams into the near cache when the cache starts, and nothing written
 * during the preload is lost, even a write that lands between a page's read and its fill.
 */
class NearPreloaderTest {

  private static final int KEYS = 3 * NearPreloader.PAGE;
  private static final int PROBES = 20;
  private static final MutableConfiguration<String, String> STRINGS =
      new MutableConfiguration<String, String>().setTypes(String.class, String.class);

  @StartedRedis
  private static RedisServer redis;
  private final List<CacheManager> managers = new ArrayList<>();

  @AfterEach
  void close() {
    NearPreloader.pageReadHook = encodedKeys -> { };
    managers.forEach(CacheManager::close);
  }

  @Test
  void writesBetweenAPagesReadAndItsFillAndOnPagesNotReadYetAreNotLost() throws Exception {
    Cache<String, String> writer = manager("preload-race").createCache("rows", STRINGS);
    Map<String, String> expected = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      writer.put("k" + i, "v1 of " + i);
      expected.put("k" + i, "v1 of " + i);
    }
    CountDownLatch firstPageRead = new CountDownLatch(1);
    CountDownLatch writesDone = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    NearPreloader.pageReadHook = encodedKeys -> {
      if (first.getAndSet(false)) {
        firstPageRead.countDown();
        awaitQuietly(writesDone);
      }
    };

    writer.put("sentinel", "before");
    Cache<String, String> reader = manager("preload-race", "defaults.near.preload", "all", "defaults.near.max-items",
        "100000").createCache("rows", STRINGS);
    assertThat(firstPageRead.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(reader.get("sentinel")).isEqualTo("before");
    // The page is read (its values are v1) and waits to fill; every key changes now, a tenth is removed.
    for (int i = 0; i < KEYS; i++) {
      if (i % 10 == 0) {
        writer.remove("k" + i);
        expected.remove("k" + i);
      } else {
        writer.put("k" + i, "v2 of " + i);
        expected.put("k" + i, "v2 of " + i);
      }
    }
    writer.put("sentinel", "after");
    // The follower has applied every record logged before the sentinel's, those of the read page's keys too.
    await().atMost(Duration.ofSeconds(5)).until(() -> "after".equals(reader.get("sentinel")));
    DistCache<String, String> dist = reader.unwrap(DistCache.class);
    writesDone.countDown();
    assertThat(dist.maintenance().awaitPreload(Duration.ofSeconds(30))).isTrue();

    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      NearEntry.Present copy = dist.nearCopy(key);
      if (copy != null) {
        assertThat(copy.value()).as("the near copy of %s", key).isEqualTo(expected.get(key));
      }
      assertThat(reader.get(key)).as(key).isEqualTo(expected.get(key));
    }
    assertThat(dist.metrics().preloaded()).isPositive();
    assertThat(dist.metrics().preloading()).isFalse();
  }

  /**
   * A client-tracking invalidation tells only that a key changed, not to which version; a replica that trails the
   * master still answers the old value. A page read after the invalidation must not fill that answer: the fill's
   * own rule admits whatever was read since the invalidation, so the preload checks each answer first, as a read
   * does.
   */
  @Test
  void aPageReadFromATrailingReplicaAfterTrackingInvalidationsFillsNoneOfTheOldValues() throws Exception {
    // more pages than the four read before the first one fills (it, PAGES_AHEAD queued, one waiting to queue)
    int keys = 8 * NearPreloader.PAGE;
    RedisServer master = RedisServer.start();
    RedisServer replica = master.startReplica();
    try (ForeignWriter foreign = new ForeignWriter(master.uri(), "dc", "foreign")) {
      foreign.writeAll(values(keys, "v1"), 1);
      foreign.write("sentinel", "v1", 1);
      replica.awaitSync();
      CountDownLatch firstPageRead = new CountDownLatch(1);
      CountDownLatch invalidated = new CountDownLatch(1);
      AtomicBoolean first = new AtomicBoolean(true);
      NearPreloader.pageReadHook = encodedKeys -> {
        if (first.getAndSet(false)) {
          firstPageRead.countDown();
          awaitQuietly(invalidated);
        }
      };
      Properties properties = new Properties();
      properties.setProperty("tracking.namespaces", "foreign");
      properties.setProperty("defaults.near.preload", "all");
      properties.setProperty("defaults.near.max-items", "100000");
      // reads stay on the paused replica this long, time enough for the pages still to read
      properties.setProperty("outage.replica-max-lag", "5s");
      CacheManager manager = new DistCachingProvider().getCacheManager(URI.create(master.uri()),
          getClass().getClassLoader(), properties);
      managers.add(manager);
      Cache<String, String> prices = manager.createCache("prices", new DistCacheConfiguration<String, String>()
          .setNamespace("foreign").setTypes(String.class, String.class));
      DistCache<String, String> dist = prices.unwrap(DistCache.class);
      assertThat(firstPageRead.await(10, TimeUnit.SECONDS)).isTrue();
      // Tracking enabled for the namespace flushed the cache, which then reads the master for a while: the pages
      // still to read must come from the replica. A burst of reads shows it (the lag monitor's own GETs are few).
      AtomicInteger probe = new AtomicInteger(1);
      await().atMost(Duration.ofSeconds(15)).until(() -> {
        // the flush before the burst, or it may move reads to the master again after it
        boolean flushed = dist.metrics().flushes(FlushCause.TRACKING_RESTARTED) > 0;
        return replica.answers("get", PROBES, () -> IntStream.range(0, PROBES)
            .forEach(i -> prices.get("k" + probe.getAndIncrement()))) && flushed;
      });
      await().atMost(Duration.ofSeconds(5)).until(() -> "v1".equals(prices.get("sentinel")) && isNear(dist, "sentinel"));

      replica.command("CLIENT", "PAUSE", "20000", "WRITE");
      Map<String, String> current = values(keys, "v2");
      foreign.writeAll(current, 2);
      foreign.write("sentinel", "v2", 2);
      // Tracking pushes arrive in order on the one connection: once the sentinel's is applied, every key's was.
      await().atMost(Duration.ofSeconds(5)).until(() -> !isNear(dist, "sentinel"));
      long replicaReadsBefore = replica.commandCalls().getOrDefault("mget", 0L);
      invalidated.countDown();
      assertThat(dist.maintenance().awaitPreload(Duration.ofSeconds(30))).isTrue();
      assertThat(replica.commandCalls().getOrDefault("mget", 0L)).as("pages read from the replica after the"
          + " invalidations").isGreaterThan(replicaReadsBefore);
      assertThat(replica.commandCalls().get("mset")).as("the replica still trails: the new values are not applied")
          .isEqualTo(1);

      for (int i = 0; i < keys; i++) {
        NearEntry.Present copy = dist.nearCopy("k" + i);
        if (copy != null) {
          assertThat(copy.value()).as("the near copy of k%d", i).isEqualTo(current.get("k" + i));
        }
      }
    } finally {
      replica.stop();
      master.stop();
    }
  }

  private static Map<String, String> values(int keys, String version) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < keys; i++) {
      values.put("k" + i, version + " of " + i);
    }
    return values;
  }

  private static boolean isNear(DistCache<String, String> dist, String key) {
    return dist.nearCopy(key) != null;
  }

  @Test
  void thePreloadStopsAtTheNearCachesBound() throws Exception {
    Cache<String, String> writer = manager("preload-bound").createCache("rows", STRINGS);
    for (int i = 0; i < KEYS; i++) {
      writer.put("k" + i, "value " + i);
    }
    Cache<String, String> reader = manager("preload-bound", "defaults.near.preload", "all", "defaults.near.max-items", "500",
        "defaults.near.preload-wait", "30s").createCache("rows", STRINGS);
    DistCache<String, String> dist = reader.unwrap(DistCache.class);

    assertThat(dist.maintenance().awaitPreload(Duration.ZERO)).as("near.preload-wait waited for it").isTrue();
    assertThat(dist.metrics().preloaded()).as("one page, then the bound stops it").isLessThan(KEYS);
    // Caffeine drains its write buffer in bounded steps: a few maintenance runs settle a burst of 12,000 fills.
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      dist.nearCache().cleanUp();
      return dist.nearCache().size() <= 500;
    });
  }

  @Test
  void aPreloadStartedWhileRedisDoesNotAnswerRunsOnceItDoes() throws Exception {
    Cache<String, String> writer = manager("preload-outage").createCache("rows", STRINGS);
    for (int i = 0; i < KEYS; i++) {
      writer.put("k" + i, "value " + i);
    }
    redis.pause();
    DistCache<String, String> dist;
    try {
      dist = manager("preload-outage", "defaults.near.preload", "all", "defaults.near.max-items", "100000",
          "defaults.command-timeout", "300ms", "redis.connect-timeout", "500ms").createCache("rows", STRINGS)
          .unwrap(DistCache.class);
      assertThat(dist.maintenance().awaitPreload(Duration.ofMillis(1500))).as("still waiting for Redis").isFalse();
    } finally {
      redis.resume();
    }
    // The follower's first check after the outage flushes (the generation was unknown); the preload runs again.
    await().atMost(Duration.ofSeconds(30)).until(() -> dist.metrics().flushes(FlushCause.DATA_LOSS) > 0
        && !dist.metrics().preloading());
    for (int i = 0; i < KEYS; i++) {
      assertThat(dist.nearCopy("k" + i)).as("k%d", i).isNotNull();
    }
  }

  @Test
  void aPreloadedCopyIsLoadedAgainWhenNearMaxTtlExpiresIt() throws Exception {
    Cache<String, String> writer = manager("preload-refresh").createCache("rows", STRINGS);
    for (int i = 0; i < NearPreloader.PAGE; i++) {
      writer.put("k" + i, "value " + i);
    }
    DistCache<String, String> dist = manager("preload-refresh", "defaults.near.preload", "all",
        "defaults.near.max-items", "100000", "defaults.near.max-ttl", "1s", "defaults.near.preload-wait", "30s")
        .createCache("rows", STRINGS).unwrap(DistCache.class);
    assertThat(dist.nearCopy("k1")).isNotNull();

    Thread.sleep(2_500);
    await().atMost(Duration.ofSeconds(3)).until(() -> IntStream.range(0, NearPreloader.PAGE)
        .allMatch(i -> dist.nearCopy("k" + i) != null));
  }

  private CacheManager manager(String keyPrefix, String... settings) {
    Properties properties = new Properties();
    properties.setProperty("redis.key-prefix", keyPrefix);
    for (int i = 0; i < settings.length; i += 2) {
      properties.setProperty(settings[i], settings[i + 1]);
    }
    // A class loader of its own: a CacheManager of its own, as another JVM would have.
    ClassLoader loader = new ClassLoader("node-" + (managers.size() + 1), getClass().getClassLoader()) {
    };
    CacheManager manager = Caching.getCachingProvider().getCacheManager(URI.create(redis.uri()), loader, properties);
    managers.add(manager);
    return manager;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
