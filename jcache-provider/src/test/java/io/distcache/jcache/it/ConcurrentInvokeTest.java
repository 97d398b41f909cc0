package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.DistCache;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.Test;

/** {@code invoke} is atomic per key across CacheManagers: no increment is lost under contention. */
class ConcurrentInvokeTest {

  private static final int THREADS_PER_NODE = 4;
  private static final int INCREMENTS_PER_THREAD = 10_000;

  @StartedRedis
  private static RedisServer redis;

  @Test
  void twoManagersIncrementingOneKeyLoseNoUpdate() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "it-invoke")) {
      MutableConfiguration<String, Integer> configuration =
          new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class);
      List<Cache<String, Integer>> caches = List.of(
          nodes.node().createCache("counters", configuration),
          nodes.node().createCache("counters", configuration));
      Increment increment = new Increment();

      ExecutorService pool = Executors.newFixedThreadPool(caches.size() * THREADS_PER_NODE);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> workers = new ArrayList<>();
      for (Cache<String, Integer> cache : caches) {
        for (int t = 0; t < THREADS_PER_NODE; t++) {
          workers.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
              cache.invoke("hits", increment);
            }
            return null;
          }));
        }
      }
      long began = System.nanoTime();
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(10, TimeUnit.MINUTES);
      }
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      pool.shutdown();

      int expected = caches.size() * THREADS_PER_NODE * INCREMENTS_PER_THREAD;
      System.out.printf("invoke contention: %d increments by %d threads on %d managers took %d ms"
              + " (%.0f increments/s); the processor ran %d times (%d compare-and-set retries)%n",
          expected, caches.size() * THREADS_PER_NODE, caches.size(), elapsedMillis,
          expected * 1000.0 / Math.max(1, elapsedMillis), increment.runs.get(), increment.runs.get() - expected);
      // Whichever manager wrote last, the other one's near copy is replaced once the change log reaches it.
      for (Cache<String, Integer> cache : caches) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(cache.get("hits")).isEqualTo(expected));
      }
      long retries = caches.stream().mapToLong(cache -> cache.unwrap(DistCache.class).metrics().retries()).sum();
      assertThat(increment.runs.get()).as("processor runs: one per invocation plus one per compare-and-set retry")
          .isEqualTo(expected + retries);
    }
  }

  @Test
  void threadsOfOneManagerRunTheProcessorOncePerInvocation() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "it-invoke-local")) {
      Cache<String, Integer> cache = nodes.node().createCache("counters",
          new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
      Increment increment = new Increment();
      int invocationsPerThread = 2_000;
      ExecutorService pool = Executors.newFixedThreadPool(THREADS_PER_NODE);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS_PER_NODE; t++) {
        workers.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < invocationsPerThread; i++) {
            cache.invoke("hits", increment);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();

      int expected = THREADS_PER_NODE * invocationsPerThread;
      assertThat(cache.get("hits")).isEqualTo(expected);
      assertThat(increment.runs.get()).as("processor runs: one per invocation, no retry within a JVM")
          .isEqualTo(expected);
    }
  }

  /** Adds one; deliberately neither Serializable nor a lambda: processors must never be serialized. */
  private static final class Increment implements EntryProcessor<String, Integer, Void> {

    private final AtomicLong runs = new AtomicLong();

    @Override
    public Void process(MutableEntry<String, Integer> entry, Object... arguments) {
      runs.incrementAndGet();
      Integer current = entry.getValue();
      entry.setValue(current == null ? 1 : current + 1);
      return null;
    }
  }
}
