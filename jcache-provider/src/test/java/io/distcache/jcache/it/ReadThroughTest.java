package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distcache.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CompletionListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Read-through on a real redis-server: one load per key for concurrent misses, and a load never replaces a newer write. */
class ReadThroughTest {

  private static final int THREADS = 16;
  /** Loads of the test's loader, and a gate that holds them until the test opens it. */
  static final AtomicInteger LOADS = new AtomicInteger();
  static volatile CountDownLatch gate = new CountDownLatch(0);
  static volatile CountDownLatch loading = new CountDownLatch(1);

  private RedisServer redis;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    LOADS.set(0);
    gate = new CountDownLatch(0);
    loading = new CountDownLatch(1);
  }

  @AfterEach
  void stop() {
    redis.stop();
  }

  /** Counts loads, signals the first, and waits at the gate (a slow database). */
  public static final class GatedLoader implements CacheLoader<String, String> {
    @Override
    public String load(String key) {
      LOADS.incrementAndGet();
      loading.countDown();
      try {
        gate.await(10, TimeUnit.SECONDS);
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "loaded-" + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> loaded = new LinkedHashMap<>();
      keys.forEach(key -> loaded.put(key, load(key)));
      return loaded;
    }
  }

  /** A loader that answers values of another type than the cache's. */
  public static final class WrongTypeLoader implements CacheLoader<String, Object> {
    @Override
    public Object load(String key) {
      return 42;
    }

    @Override
    public Map<String, Object> loadAll(Iterable<? extends String> keys) {
      Map<String, Object> loaded = new LinkedHashMap<>();
      keys.forEach(key -> loaded.put(key, load(key)));
      return loaded;
    }
  }

  private static MutableConfiguration<String, String> readThrough() {
    return new MutableConfiguration<String, String>().setTypes(String.class, String.class).setReadThrough(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(GatedLoader.class));
  }

  @Test
  void concurrentMissesOfOneKeyShareOneLoad() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "load-once")) {
      Cache<String, String> cache = nodes.node().createCache("loaded", readThrough());
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService threads = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
          results.add(threads.submit(() -> {
            start.await();
            return cache.get("cold");
          }));
        }
        start.countDown();
        for (Future<String> result : results) {
          assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("loaded-cold");
        }
      } finally {
        threads.shutdownNow();
      }
      assertThat(LOADS.get()).as("loader calls for one cold key").isEqualTo(1);
    }
  }

  @Test
  void aFleetMissingOneKeyAtOnceLoadsItOnceWithTheLease() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "load-once-fleet")) {
      List<Cache<String, String>> fleet = List.of(
          nodes.node("defaults.lease", "loads").createCache("loaded", readThrough()),
          nodes.node("defaults.lease", "loads").createCache("loaded", readThrough()));
      gate = new CountDownLatch(1);
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService threads = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
          Cache<String, String> cache = fleet.get(i % fleet.size());
          results.add(threads.submit(() -> {
            start.await();
            return cache.get("cold");
          }));
        }
        start.countDown();
        // Every manager has missed in Redis before the first load may finish: without the lease each would load.
        await().atMost(Duration.ofSeconds(5)).until(() -> fleet.stream()
            .allMatch(cache -> Nodes.dist(cache).metrics().remoteMisses() > 0));
        gate.countDown();
        for (Future<String> result : results) {
          assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("loaded-cold");
        }
      } finally {
        threads.shutdownNow();
      }
      assertThat(LOADS.get()).as("loader calls across the fleet").isEqualTo(1);
    }
  }

  @Test
  void aSlowLoadNeverReplacesAPutMadeWhileItRan() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "load-race")) {
      Cache<String, String> reader = nodes.node().createCache("raced", readThrough());
      Cache<String, String> writer = nodes.node().createCache("raced", readThrough());
      gate = new CountDownLatch(1);
      ExecutorService thread = Executors.newSingleThreadExecutor();
      try {
        Future<String> read = thread.submit(() -> reader.get("k"));
        assertThat(loading.await(5, TimeUnit.SECONDS)).as("the load started").isTrue();
        writer.put("k", "newer");
        gate.countDown();

        assertThat(read.get(10, TimeUnit.SECONDS)).as("what the reading caller gets").isEqualTo("newer");
      } finally {
        thread.shutdownNow();
      }
      assertThat(reader.get("k")).isEqualTo("newer");
      assertThat(writer.get("k")).isEqualTo("newer");
      assertThat(nodes.node().createCache("raced", readThrough()).get("k")).as("a fresh manager").isEqualTo("newer");
    }
  }

  @Test
  void aSlowGetAllLoadNeverReplacesAPutMadeWhileItRan() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "load-all-race")) {
      Cache<String, String> reader = nodes.node().createCache("raced", readThrough());
      Cache<String, String> writer = nodes.node().createCache("raced", readThrough());
      gate = new CountDownLatch(1);
      ExecutorService thread = Executors.newSingleThreadExecutor();
      try {
        Future<Map<String, String>> read = thread.submit(() -> reader.getAll(Set.of("k", "other")));
        assertThat(loading.await(5, TimeUnit.SECONDS)).as("the load started").isTrue();
        writer.put("k", "newer");
        gate.countDown();

        assertThat(read.get(10, TimeUnit.SECONDS)).as("what the reading caller gets")
            .containsEntry("k", "newer").containsEntry("other", "loaded-other").hasSize(2);
      } finally {
        thread.shutdownNow();
      }
      assertThat(reader.get("k")).isEqualTo("newer");
      assertThat(writer.get("k")).isEqualTo("newer");
      assertThat(nodes.node().createCache("raced", readThrough()).get("k")).as("a fresh manager").isEqualTo("newer");
      int loads = LOADS.get();
      assertThat(writer.get("other")).as("a loaded key nobody wrote is stored").isEqualTo("loaded-other");
      assertThat(LOADS.get()).as("loads for it since: none, it was read from Redis").isEqualTo(loads);
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aLoadedValueOfTheWrongTypeIsRefusedByGetGetAllAndLoadAllAlikeAndNeverStored() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "load-type")) {
      MutableConfiguration<String, String> configuration = new MutableConfiguration<String, String>()
          .setTypes(String.class, String.class).setReadThrough(true)
          .setCacheLoaderFactory((Factory) FactoryBuilder.factoryOf(WrongTypeLoader.class));
      Cache<String, String> cache = nodes.node().createCache("typed", configuration);

      assertThatThrownBy(() -> cache.get("a")).isInstanceOf(ClassCastException.class)
          .hasMessageContaining("java.lang.Integer");
      assertThatThrownBy(() -> cache.getAll(Set.of("b"))).isInstanceOf(ClassCastException.class)
          .hasMessageContaining("java.lang.Integer");
      CompletableFuture<Throwable> explicit = new CompletableFuture<>();
      cache.loadAll(Set.of("c"), true, new CompletionListener() {
        @Override
        public void onCompletion() {
          explicit.complete(null);
        }

        @Override
        public void onException(Exception e) {
          explicit.complete(e);
        }
      });
      assertThat(explicit.get(10, TimeUnit.SECONDS)).as("what loadAll's listener is told")
          .hasRootCauseInstanceOf(ClassCastException.class);

      Cache<String, String> plain = nodes.node().createCache("typed",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      assertThat(plain.getAll(Set.of("a", "b", "c"))).as("what Redis holds").isEmpty();
    }
  }
}
