package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.DistCache;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.util.HashMap;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * After a preload ({@code near.preload=all}) every read is a near hit: a full local copy of the namespace that sends
 * Redis no read at all.
 */
class PreloadTest {

  private static final int ENTRIES = 100_000;
  private static final int BATCH = 1_000;
  private static final MutableConfiguration<String, String> STRINGS =
      new MutableConfiguration<String, String>().setTypes(String.class, String.class);

  @StartedRedis
  private static RedisServer redis;

  @Test
  void afterAPreloadOf100000EntriesEveryReadIsANearHitAndRedisGetsNoRead() {
    try (Nodes nodes = new Nodes(redis.uri(), "preload")) {
      Cache<String, String> writer = nodes.node().createCache("rows", STRINGS);
      for (int start = 0; start < ENTRIES; start += BATCH) {
        Map<String, String> batch = new HashMap<>();
        for (int i = start; i < start + BATCH; i++) {
          batch.put("row:" + i, "value of row " + i);
        }
        writer.putAll(batch);
      }
      Cache<String, String> reader = nodes.node("defaults.near.preload", "all", "defaults.near.preload-wait", "60s",
          "defaults.near.max-items", "200000").createCache("rows", STRINGS);
      DistCache<String, String> dist = Nodes.dist(reader);
      assertThat(dist.metrics().preloading()).as("near.preload-wait waited for the preload").isFalse();
      assertThat(dist.metrics().preloaded()).isEqualTo(ENTRIES);

      try (EntryCommandMonitor monitor = EntryCommandMonitor.start(redis, "preload", "rows")) {
        for (int i = 0; i < ENTRIES; i++) {
          assertThat(reader.get("row:" + i)).isEqualTo("value of row " + i);
        }
        assertThat(monitor.names()).as("entry commands sent during the reads").isEmpty();
      }
      assertThat(dist.metrics().nearHits()).isEqualTo(ENTRIES);
      assertThat(dist.metrics().remoteHits() + dist.metrics().remoteMisses()).isZero();
    }
  }
}
