package io.distcache.jcache.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.DistCache;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.jcache.spi.DistCachingProvider;
import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisCluster;
import io.distcache.testkit.RedisServer;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Caches on a Redis Cluster of three masters with one replica each ({@code redis.cluster=true}):
 * entries spread over every master, every JCache operation works across slots, near copies follow
 * other managers' writes (change logs on the bookkeeping slot), reads go to replicas, client
 * tracking watches every master, and the follower carries on after the master holding the change
 * logs fails over.
 */
class RedisClusterTest {

  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static RedisCluster cluster;
  private final List<CacheManager> managers = new ArrayList<>();
  private String prefix;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start(3, 1);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @AfterEach
  void closeManagers() {
    managers.forEach(CacheManager::close);
  }

  @Test
  void entriesSpreadOverEveryMasterAndEveryOperationWorksAcrossSlots() {
    Cache<String, Integer> writer = cache(manager(cluster), "items", false);
    Cache<String, Integer> reader = cache(manager(cluster), "items", false);
    Map<String, Integer> values = new HashMap<>();
    IntStream.range(0, 300).forEach(i -> values.put("key-" + i, i));

    writer.putAll(values);

    for (RedisServer master : cluster.masters()) {
      assertThat(master.command("KEYS", prefix + ":items:k:*")).as("entries on master %s", master).isNotBlank();
    }
    assertThat(reader.getAll(values.keySet())).isEqualTo(values);
    assertThat(reader.putIfAbsent("key-1", -1)).isFalse();
    assertThat(reader.putIfAbsent("fresh", 7)).isTrue();
    assertThat(reader.replace("key-2", 2, 20)).isTrue();
    assertThat(reader.getAndPut("key-3", 30)).isEqualTo(3);
    assertThat(reader.remove("key-4", 4)).isTrue();
    Integer invoked = reader.invoke("key-5", (entry, args) -> {
      entry.setValue(entry.getValue() + 100);
      return entry.getValue();
    });
    assertThat(invoked).isEqualTo(105);
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
      assertThat(writer.get("key-2")).isEqualTo(20);
      assertThat(writer.get("key-3")).isEqualTo(30);
      assertThat(writer.get("key-4")).isNull();
      assertThat(writer.get("key-5")).isEqualTo(105);
      assertThat(writer.get("fresh")).isEqualTo(7);
    });

    Set<String> iterated = new TreeSet<>();
    for (Iterator<Cache.Entry<String, Integer>> it = reader.iterator(); it.hasNext(); ) {
      iterated.add(it.next().getKey());
    }
    assertThat(iterated).hasSize(300).contains("fresh").doesNotContain("key-4");

    writer.removeAll();
    assertThat(writer.getAll(values.keySet())).isEmpty();
    // the reader's near copies go as the removals' change-log records reach it
    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
        .untilAsserted(() -> assertThat(reader.getAll(values.keySet())).isEmpty());
    for (RedisServer master : cluster.masters()) {
      assertThat(master.command("KEYS", prefix + ":items:k:*")).isEmpty();
    }
  }

  @Test
  void nearCopiesFollowAnotherManagersWritesAndKeepUntouchedKeys() {
    Cache<String, Integer> writer = cache(manager(cluster), "prices", false);
    Cache<String, Integer> edge = cache(manager(cluster), "prices", true);
    for (int i = 0; i < 50; i++) {
      writer.put("p" + i, i);
    }
    cluster.replicas().forEach(replica -> replica.command("CONFIG", "RESETSTAT"));
    for (int i = 0; i < 50; i++) {
      assertThat(edge.get("p" + i)).isEqualTo(i);
    }
    assertThat(nearValue(edge, "p1")).isEqualTo(1);
    assertThat(cluster.replicas().stream().mapToLong(RedisClusterTest::getCalls).sum())
        .as("misses read from the replicas").isGreaterThanOrEqualTo(50);

    for (int i = 0; i < 50; i += 2) {
      writer.put("p" + i, i + 1000);
    }

    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
      for (int i = 0; i < 50; i += 2) {
        assertThat(nearValue(edge, "p" + i)).as("near p%d", i).isNotEqualTo(i);
      }
    });
    for (int i = 0; i < 50; i++) {
      assertThat(edge.get("p" + i)).isEqualTo(i % 2 == 0 ? i + 1000 : i);
    }
    for (int i = 1; i < 50; i += 2) {
      assertThat(nearValue(edge, "p" + i)).as("untouched p%d stays near", i).isEqualTo(i);
    }
  }

  @Test
  void readsWithExpiryFetchTimeToLiveFromEverySlot() {
    CacheManager manager = manager(cluster);
    Cache<String, String> sessions = manager.createCache("sessions", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ONE_HOUR)));
    Map<String, String> values = new HashMap<>();
    IntStream.range(0, 60).forEach(i -> values.put("s" + i, "user-" + i));
    sessions.putAll(values);
    Cache<String, String> other = manager(cluster).createCache("sessions",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class)
            .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ONE_HOUR)));

    assertThat(other.getAll(values.keySet())).isEqualTo(values);
    RedisServer owner = cluster.masterOf(prefix + ":sessions:k:s:s1");
    long ttl = Long.parseLong(owner.command("PTTL", prefix + ":sessions:k:s:s1"));
    assertThat(ttl).isBetween(1L, 3_600_000L);
  }

  @Test
  void trackingWatchesEveryMaster() {
    Properties tracked = new Properties();
    tracked.setProperty("tracking.namespaces", "foreign");
    CacheManager manager = manager(cluster, tracked);
    Cache<String, String> foreign = manager.createCache("foreign-prices", new DistCacheConfiguration<String, String>()
        .setNamespace("foreign").setTypes(String.class, String.class));
    KryoValueCodec codec = new KryoValueCodec(ClassAllowList.defaults(), 4096, getClass().getClassLoader());
    Namespace namespace = Namespace.of(prefix, "foreign");
    List<String> keys = IntStream.range(0, 30).mapToObj(i -> "f" + i).toList();
    Set<RedisServer> owners = new HashSet<>();
    RedisClusterClient foreignClient = RedisClusterClient.create(cluster.uri());
    var foreignWriter = foreignClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)).sync();
    for (String key : keys) {
      String redisKey = namespace.entryKey("s:" + key);
      owners.add(cluster.masterOf(redisKey));
      foreignWriter.set(redisKey, Envelope.of(codec.encode("v1"), 1).toBytes());
    }
    assertThat(owners).hasSize(3);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      for (String key : keys) {
        assertThat(foreign.get(key)).isEqualTo("v1");
        assertThat(nearValue(foreign, key)).isEqualTo("v1");
      }
    });

    for (String key : keys) {
      foreignWriter.set(namespace.entryKey("s:" + key), Envelope.of(codec.encode("v2"), 2).toBytes());
    }
    foreignClient.shutdown();

    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
      for (String key : keys) {
        assertThat(foreign.get(key)).as(key).isEqualTo("v2");
      }
    });
  }

  @Test
  void theFollowerCarriesOnAfterTheChangeLogMasterFailsOver() {
    try (RedisCluster own = RedisCluster.start(3, 1)) {
      Properties fast = new Properties();
      fast.setProperty("defaults.command-timeout", "500ms");
      fast.setProperty("outage.retry-interval", "200ms");
      Cache<String, Integer> writer = cache(manager(own, fast), "stock", false);
      Cache<String, Integer> edge = cache(manager(own, fast), "stock", true);
      writer.put("apples", 1);
      assertThat(edge.get("apples")).isEqualTo(1);
      RedisServer logMaster = own.masterOf(Namespace.heartbeatKey(prefix));

      logMaster.kill();
      own.awaitHealthy();

      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .untilAsserted(() -> {
            writer.put("apples", 2);
            assertThat(edge.get("apples")).isEqualTo(2);
          });
      writer.put("apples", 3);
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
          .until(() -> Integer.valueOf(3).equals(edge.get("apples")));
      assertThat(nearValue(edge, "apples")).isIn(3, null);
    }
  }

  @Test
  void aNamespaceAProducerOwnsRefusesEdgeWritesAcrossSlots() {
    Cache<String, Integer> cache = cache(manager(cluster), "owned", false);
    cache.put("before", 1);
    String meta = prefix + ":{" + prefix + "}:owned:meta";
    cluster.masterOf(meta).command("HSET", meta, "owner", "producer:core.owned");
    String log = prefix + ":{" + prefix + "}:owned:log";
    String logBefore = cluster.masterOf(log).command("XLEN", log);

    for (Runnable write : List.<Runnable>of(() -> cache.put("after", 2), () -> cache.remove("before"),
        () -> cache.putAll(Map.of("x", 1, "y", 2)), cache::clear)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(write::run)
          .isInstanceOf(io.distcache.jcache.redis.ProducerOwnedNamespaceException.class)
          .hasMessageContaining("written by producer:core.owned");
    }
    assertThat(cache.get("before")).isEqualTo(1);
    assertThat(cache.get("after")).isNull();
    assertThat(cluster.masterOf(log).command("XLEN", log)).as("nothing was logged").isEqualTo(logBefore);
  }

  private CacheManager manager(RedisCluster target) {
    return manager(target, new Properties());
  }

  private CacheManager manager(RedisCluster target, Properties extra) {
    if (prefix == null) {
      prefix = "cl" + PREFIXES.incrementAndGet();
    }
    Properties properties = new Properties();
    properties.putAll(extra);
    properties.setProperty("redis.cluster", "true");
    properties.setProperty("redis.key-prefix", prefix);
    ClassLoader loader = new ClassLoader("node-" + managers.size(), getClass().getClassLoader()) {
    };
    properties.setProperty("redis.uri", target.seedsUri());
    CacheManager manager = new DistCachingProvider().getCacheManager(null, loader, properties);
    managers.add(manager);
    return manager;
  }

  private static Cache<String, Integer> cache(CacheManager manager, String name, boolean replicaReads) {
    DistCacheConfiguration<String, Integer> configuration = new DistCacheConfiguration<String, Integer>()
        .setTypes(String.class, Integer.class);
    if (replicaReads) {
      configuration.setReadFrom(ReadFrom.REPLICA_PREFERRED);
    }
    return manager.createCache(name, configuration);
  }

  private static long getCalls(RedisServer node) {
    return node.command("INFO", "commandstats").lines()
        .filter(line -> line.startsWith("cmdstat_get:calls="))
        .mapToLong(line -> Long.parseLong(line.substring("cmdstat_get:calls=".length(), line.indexOf(','))))
        .sum();
  }

  private static Object nearValue(Cache<String, ?> cache, String key) {
    var cached = cache.unwrap(DistCache.class).nearCopy(key);
    return cached == null ? null : cached.value();
  }
}
