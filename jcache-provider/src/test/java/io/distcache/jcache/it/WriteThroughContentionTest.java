package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.processor.EntryProcessorException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Write-through across CacheManagers on a real redis-server: the {@code CacheWriter} sees exactly the writes
 * that commit, once each and in commit order per key, and a writer that throws changes nothing anywhere.
 */
class WriteThroughContentionTest {

  private static final int THREADS_PER_NODE = 4;
  private static final int INCREMENTS_PER_THREAD = 2_000;

  /** What the system of record received, in order; shared by every node's writer (one JVM). */
  static final List<Integer> WRITTEN = java.util.Collections.synchronizedList(new ArrayList<>());

  @StartedRedis
  private static RedisServer redis;

  @BeforeEach
  void forget() {
    WRITTEN.clear();
  }

  /** Records every value written; refuses the value -1, as a failing database would. */
  public static final class RecordingWriter implements CacheWriter<String, Integer> {
    @Override
    public void write(Cache.Entry<? extends String, ? extends Integer> entry) {
      if (entry.getValue() == -1) {
        throw new CacheWriterException("the database refused " + entry.getKey());
      }
      WRITTEN.add(entry.getValue());
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends Integer>> entries) {
      for (var iterator = entries.iterator(); iterator.hasNext(); ) {
        write(iterator.next());
        iterator.remove();
      }
    }

    @Override
    public void delete(Object key) {
      WRITTEN.add(0);
    }

    @Override
    public void deleteAll(Collection<?> keys) {
      keys.clear();
    }
  }

  private static MutableConfiguration<String, Integer> writeThrough() {
    return new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class).setWriteThrough(true)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(RecordingWriter.class));
  }

  @Test
  void everyCommittedWriteReachesTheWriterOnceInCommitOrder() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "wt-exact")) {
      List<Cache<String, Integer>> caches = List.of(
          nodes.node().createCache("counters", writeThrough()),
          nodes.node().createCache("counters", writeThrough()));
      ExecutorService pool = Executors.newFixedThreadPool(caches.size() * THREADS_PER_NODE);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> workers = new ArrayList<>();
      for (Cache<String, Integer> cache : caches) {
        for (int t = 0; t < THREADS_PER_NODE; t++) {
          workers.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
              cache.invoke("hits", (entry, arguments) -> {
                entry.setValue(entry.exists() ? entry.getValue() + 1 : 1);
                return null;
              });
            }
            return null;
          }));
        }
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();

      int expected = caches.size() * THREADS_PER_NODE * INCREMENTS_PER_THREAD;
      List<Integer> written = List.copyOf(WRITTEN);
      assertThat(written).as("writer calls").hasSize(expected);
      for (int i = 0; i < written.size(); i++) {
        if (written.get(i) != i + 1) {
          throw new AssertionError("writer call " + (i + 1) + " got " + written.get(i) + ": not in commit order");
        }
      }
      assertThat(caches.get(0).get("hits")).isEqualTo(expected).isEqualTo(written.get(written.size() - 1));
    }
  }

  @Test
  void aWriterThatThrowsLeavesEveryNodeUnchanged() {
    try (Nodes nodes = new Nodes(redis.uri(), "wt-refused")) {
      Cache<String, Integer> first = nodes.node().createCache("refusing", writeThrough());
      Cache<String, Integer> second = nodes.node().createCache("refusing", writeThrough());
      first.put("k", 1);
      assertThat(second.get("k")).isEqualTo(1);

      assertThatThrownBy(() -> first.put("k", -1)).isInstanceOf(CacheWriterException.class);
      assertThatThrownBy(() -> first.replace("k", -1)).isInstanceOf(CacheWriterException.class);
      assertThatThrownBy(() -> first.getAndPut("k", -1)).isInstanceOf(CacheWriterException.class);
      assertThatThrownBy(() -> second.invoke("k", (entry, arguments) -> {
        entry.setValue(-1);
        return null;
      })).isInstanceOf(EntryProcessorException.class).hasRootCauseInstanceOf(CacheWriterException.class);
      assertThatThrownBy(() -> second.putIfAbsent("fresh", -1)).isInstanceOf(CacheWriterException.class);

      for (Cache<String, Integer> cache : List.of(first, second, nodes.node().createCache("refusing", writeThrough()))) {
        assertThat(cache.get("k")).isEqualTo(1);
        assertThat(cache.containsKey("fresh")).isFalse();
      }
      assertThat(WRITTEN).containsExactly(1);
    }
  }
}
