package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code putIfAbsent} and {@code replace(k, old, new)} are atomic per key across CacheManagers. */
class ConditionalWriteContentionTest {

  private static final int THREADS_PER_NODE = 4;
  private static final int KEYS = 500;

  @StartedRedis
  private static RedisServer redis;
  private Nodes nodes;
  private List<Cache<String, Integer>> caches;

  @BeforeEach
  void twoNodes() {
    nodes = new Nodes(redis.uri(), "it-conditional");
    MutableConfiguration<String, Integer> configuration =
        new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class);
    caches = List.of(nodes.node().createCache("contended", configuration),
        nodes.node().createCache("contended", configuration));
  }

  @AfterEach
  void closeNodes() {
    caches.get(0).clear();
    nodes.close();
  }

  @Test
  void exactlyOnePutIfAbsentWinsEachKey() throws Exception {
    List<String> keys = IntStream.range(0, KEYS).mapToObj(i -> "first-" + i).toList();
    Map<String, List<Integer>> winners = new ConcurrentHashMap<>();
    AtomicInteger contender = new AtomicInteger();
    runConcurrently(cache -> {
      int me = contender.incrementAndGet();
      List<String> order = new ArrayList<>(keys);
      Collections.shuffle(order, new Random(me));
      for (String key : order) {
        if (cache.putIfAbsent(key, me)) {
          winners.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(me);
        }
      }
    });

    assertThat(winners).hasSize(KEYS);
    assertThat(winners.values()).allSatisfy(won -> assertThat(won).hasSize(1));
    for (Cache<String, Integer> cache : caches) {
      await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
          assertThat(keys).allSatisfy(key -> assertThat(cache.get(key)).isEqualTo(winners.get(key).get(0))));
    }
  }

  @Test
  void replaceLoopsLoseNoIncrement() throws Exception {
    int incrementsPerThread = 500;
    caches.get(0).put("counter", 0);
    runConcurrently(cache -> {
      for (int i = 0; i < incrementsPerThread; i++) {
        while (true) {
          Integer seen = cache.get("counter");
          if (cache.replace("counter", seen, seen + 1)) {
            break;
          }
        }
      }
    });

    int expected = caches.size() * THREADS_PER_NODE * incrementsPerThread;
    for (Cache<String, Integer> cache : caches) {
      await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(cache.get("counter")).isEqualTo(expected));
    }
  }

  private void runConcurrently(Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(caches.size() * THREADS_PER_NODE);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> workers = new ArrayList<>();
      for (Cache<String, Integer> cache : caches) {
        for (int t = 0; t < THREADS_PER_NODE; t++) {
          workers.add(pool.submit(() -> {
            start.await();
            work.run(cache);
            return null;
          }));
        }
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface Work {
    void run(Cache<String, Integer> cache);
  }
}
