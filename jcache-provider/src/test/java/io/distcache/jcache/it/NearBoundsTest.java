package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.DistCache;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.near.NearEntry;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The near cache keeps to {@code near.max-items} and {@code near.max-bytes}.
 *
 * <p>The reading cache is created after the data was written, so its change-log follower starts past
 * those writes and leaves no invalidation markers: everything its near cache holds is a value, and
 * {@link NearCache#size()} and {@link NearCache#weightedSize()} (which count markers too) describe
 * values only.
 */
class NearBoundsTest {

  private static final int KEYS = 5_000;

  @StartedRedis
  private static RedisServer redis;
  private Nodes nodes;

  @BeforeEach
  void openNodes() {
    nodes = new Nodes(redis.uri(), "it-bounds");
  }

  @AfterEach
  void closeNodes() {
    nodes.close();
  }

  @Test
  void nearCacheHoldsAtMostMaxItemsValues() {
    List<String> keys = keys();
    write("by-items", keys, key -> "value of " + key);
    Cache<String, String> cache = nodes.node().createCache("by-items",
        new DistCacheConfiguration<String, String>().setTypes(String.class, String.class).setNearMaxItems(1_000));

    keys.forEach(key -> assertThat(cache.get(key)).isEqualTo("value of " + key));
    DistCache<String, String> dist = Nodes.dist(cache);
    NearCache<String> near = dist.nearCache();
    near.cleanUp();

    long held = keys.stream().filter(key -> dist.nearCopy(key) != null).count();
    System.out.printf("near.max-items=1000 after reading %d keys: %d values held, size %d%n", KEYS, held, near.size());
    assertThat(near.size()).isLessThanOrEqualTo(1_100).isEqualTo(held);
    assertThat(held).as("a full near cache, not an empty one").isGreaterThanOrEqualTo(900);
    // Values still held are served without Redis.
    String cached = keys.stream().filter(key -> dist.nearCopy(key) != null).findFirst().orElseThrow();
    try (EntryCommandMonitor monitor = EntryCommandMonitor.start(redis, "it-bounds", "by-items")) {
      assertThat(cache.get(cached)).isEqualTo("value of " + cached);
      assertThat(monitor.names()).isEmpty();
    }
  }

  @Test
  void nearCacheHoldsAtMostMaxBytesOfEncodedValues() {
    long maxBytes = 500_000;
    List<String> keys = keys();
    Random random = new Random(42);
    write("by-bytes", keys, key -> randomText(random, 1_000));
    Cache<String, String> cache = nodes.node().createCache("by-bytes",
        new DistCacheConfiguration<String, String>().setTypes(String.class, String.class).setNearMaxBytes(maxBytes));

    keys.forEach(key -> assertThat(cache.get(key)).hasSize(1_000));
    DistCache<String, String> dist = Nodes.dist(cache);
    NearCache<String> near = dist.nearCache();
    near.cleanUp();

    List<NearEntry.Present> held = keys.stream().map(dist::nearCopy).filter(entry -> entry != null).toList();
    long heldBytes = held.stream().mapToLong(NearEntry.Present::encodedSize).sum();
    int largest = held.stream().mapToInt(NearEntry.Present::encodedSize).max().orElseThrow();
    System.out.printf("near.max-bytes=%d with ~1 KB values after reading %d keys: %d values of %d encoded bytes,"
        + " weighted size %d%n", maxBytes, KEYS, held.size(), heldBytes, near.weightedSize());
    assertThat(near.weightedSize()).isLessThanOrEqualTo(maxBytes * 11 / 10);
    // Each value weighs its encoded size (above max-bytes / max-items = 50 bytes), and nothing else is held.
    assertThat(near.weightedSize()).isEqualTo(heldBytes);
    assertThat(near.size()).isEqualTo(held.size());
    assertThat((long) held.size()).isGreaterThanOrEqualTo(maxBytes * 9 / 10 / largest);
  }

  @Test
  void zeroMaxItemsKeepsNothingNear() {
    write("no-near", List.of("a", "b"), key -> "value of " + key);
    Cache<String, String> cache = nodes.node().createCache("no-near",
        new DistCacheConfiguration<String, String>().setTypes(String.class, String.class).setNearMaxItems(0));

    try (EntryCommandMonitor monitor = EntryCommandMonitor.start(redis, "it-bounds", "no-near")) {
      cache.put("c", "written here");
      for (int i = 0; i < 10; i++) {
        assertThat(cache.get("a")).isEqualTo("value of a");
        assertThat(cache.get("c")).isEqualTo("written here");
      }
      // Every read went to Redis, of the value this manager wrote too.
      assertThat(monitor.names()).hasSize(21).containsOnly("evalsha", "get").containsOnlyOnce("evalsha");
    }
    assertThat(Nodes.dist(cache).nearCopy("a")).isNull();
  }

  private void write(String cacheName, List<String> keys, Function<String, String> values) {
    CacheManager writerNode = nodes.node();
    Cache<String, String> writer = writerNode.createCache(cacheName,
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    Map<String, String> batch = new LinkedHashMap<>();
    for (String key : keys) {
      batch.put(key, values.apply(key));
      if (batch.size() == 500) {
        writer.putAll(batch);
        batch.clear();
      }
    }
    writer.putAll(batch);
  }

  private static List<String> keys() {
    return IntStream.range(0, KEYS).mapToObj(i -> "key-" + i).toList();
  }

  private static String randomText(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }
}
