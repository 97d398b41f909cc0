package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.contention.ContentionException;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-key lease on a real redis-server: waiting is bounded, a holder keeps its lease while it works, a
 * holder that lost its lease writes nothing, and unleased compare-and-set retries are bounded.
 */
class LeaseTest {

  /** Holds writes of the value "slow" until the test opens it. */
  static volatile CountDownLatch gate = new CountDownLatch(0);
  static volatile CountDownLatch writing = new CountDownLatch(1);
  static final AtomicInteger WRITES = new AtomicInteger();

  @StartedRedis
  private static RedisServer redis;
  private ExecutorService thread;

  @BeforeEach
  void reset() {
    gate = new CountDownLatch(0);
    writing = new CountDownLatch(1);
    WRITES.set(0);
    thread = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void stopThread() {
    gate.countDown();
    thread.shutdownNow();
  }

  /** Counts writes; a write of "slow" signals and waits at the gate (a slow system of record). */
  public static final class GatedWriter implements CacheWriter<String, String> {
    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
      WRITES.incrementAndGet();
      if ("slow".equals(entry.getValue())) {
        writing.countDown();
        try {
          gate.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
      entries.forEach(this::write);
      entries.clear();
    }

    @Override
    public void delete(Object key) {
    }

    @Override
    public void deleteAll(Collection<?> keys) {
      keys.clear();
    }
  }

  private static MutableConfiguration<String, String> writeThrough() {
    return new MutableConfiguration<String, String>().setTypes(String.class, String.class).setWriteThrough(true)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(GatedWriter.class));
  }

  private static String leaseKey(String prefix) {
    return redis.command("KEYS", prefix + ":*:l:*");
  }

  @Test
  void aWriterWaitsForTheHoldersLeaseAtMostLeaseWait() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "lease-wait")) {
      Cache<String, String> holder = nodes.node().createCache("c", writeThrough());
      Cache<String, String> waiter = nodes.node("contention.lease-wait", "300ms").createCache("c", writeThrough());
      gate = new CountDownLatch(1);
      Future<?> slow = thread.submit(() -> holder.put("k", "slow"));
      assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();

      assertThatThrownBy(() -> waiter.put("k", "other"))
          .isInstanceOf(ContentionException.class)
          .hasMessageContaining("cache 'c'").hasMessageContaining("key 'k'")
          .hasMessageContaining("contention.lease-wait");
      gate.countDown();
      slow.get(5, TimeUnit.SECONDS);

      waiter.put("k", "other");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(holder.get("k")).isEqualTo("other"));
      assertThat(WRITES.get()).as("writer calls: the slow write and the last one; the refused one never ran")
          .isEqualTo(2);
    }
  }

  @Test
  void aHolderKeepsItsLeaseWhileItsWriterRunsLongerThanTheLeaseTime() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "lease-renew")) {
      Cache<String, String> holder = nodes.node("contention.lease-time", "300ms").createCache("c", writeThrough());
      Cache<String, String> other = nodes.node("contention.lease-time", "300ms").createCache("c", writeThrough());
      gate = new CountDownLatch(1);
      Future<?> slow = thread.submit(() -> holder.put("k", "slow"));
      assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
      String lease = leaseKey("lease-renew");
      assertThat(lease).isNotBlank();
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000);
      while (System.nanoTime() < until) {
        assertThat(redis.command("EXISTS", lease)).as("the lease, three lease times on").isEqualTo("1");
        Thread.sleep(50);
      }
      ExecutorService second = Executors.newSingleThreadExecutor();
      try {
        Future<?> queued = second.submit(() -> other.put("k", "after"));
        gate.countDown();
        slow.get(5, TimeUnit.SECONDS);
        queued.get(5, TimeUnit.SECONDS);
      } finally {
        second.shutdownNow();
      }
      assertThat(other.get("k")).as("the queued write went after the slow one").isEqualTo("after");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(holder.get("k")).isEqualTo("after"));
      assertThat(redis.command("EXISTS", lease)).as("released by the last write").isEqualTo("0");
    }
  }

  @Test
  void aHolderThatLostItsLeaseWritesNothing() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "lease-lost")) {
      Cache<String, String> holder = nodes.node().createCache("c", writeThrough());
      Cache<String, String> other = nodes.node().createCache("c", writeThrough());
      holder.put("k", "before");
      assertThat(other.get("k")).isEqualTo("before");
      gate = new CountDownLatch(1);
      writing = new CountDownLatch(1);
      Future<?> slow = thread.submit(() -> holder.put("k", "slow"));
      assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
      // What a failover that lost the lease key, or a pause past its time, leaves behind.
      assertThat(redis.command("DEL", leaseKey("lease-lost"))).isEqualTo("1");
      gate.countDown();

      assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ContentionException.class)
          .cause().hasMessageContaining("key 'k'").hasMessageContaining("contention.lease-time");
      assertThat(holder.get("k")).isEqualTo("before");
      assertThat(other.get("k")).isEqualTo("before");
    }
  }

  @Test
  void anEntryThatExpiresWhileItsHolderWritesThroughIsWrittenOnceAndCommitted() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "lease-expired")) {
      Cache<String, String> holder = nodes.node().createCache("c", writeThrough());
      holder.put("k", "before");
      WRITES.set(0);
      gate = new CountDownLatch(1);
      writing = new CountDownLatch(1);
      Future<Boolean> slow = thread.submit(() -> holder.replace("k", "slow"));
      assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
      // The entry expires (or is evicted, or cleared) after the holder read it and told its writer.
      assertThat(redis.command("DEL", redis.command("KEYS", "lease-expired:c:k:*"))).isEqualTo("1");
      gate.countDown();

      assertThat(slow.get(5, TimeUnit.SECONDS)).as("replace reports what the writer was told").isTrue();
      assertThat(WRITES.get()).as("writer calls").isEqualTo(1);
      assertThat(nodes.node().createCache("c", writeThrough()).get("k")).isEqualTo("slow");
    }
  }

  @Test
  void unleasedCompareAndSetRetriesAreBounded() {
    try (Nodes nodes = new Nodes(redis.uri(), "cas-bound")) {
      MutableConfiguration<String, String> plain =
          new MutableConfiguration<String, String>().setTypes(String.class, String.class);
      Cache<String, String> once = nodes.node("contention.max-attempts", "1").createCache("c", plain);
      Cache<String, String> twice = nodes.node("contention.max-attempts", "2").createCache("c", plain);
      Cache<String, String> foreign = nodes.node().createCache("c", plain);
      AtomicInteger runs = new AtomicInteger();

      assertThatThrownBy(() -> once.invoke("k", (entry, arguments) -> {
        if (runs.incrementAndGet() == 1) {
          foreign.put("k", "foreign");
        }
        entry.setValue("mine");
        return null;
      })).isInstanceOf(ContentionException.class).hasMessageContaining("cache 'c'").hasMessageContaining("key 'k'")
          .hasMessageContaining("contention.max-attempts");
      assertThat(runs.get()).isEqualTo(1);
      assertThat(foreign.get("k")).isEqualTo("foreign");

      runs.set(0);
      twice.invoke("k", (entry, arguments) -> {
        if (runs.incrementAndGet() == 1) {
          foreign.put("k", "foreign-2");
        }
        entry.setValue(entry.getValue() + "+mine");
        return null;
      });
      assertThat(runs.get()).isEqualTo(2);
      await().atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(foreign.get("k")).isEqualTo("foreign-2+mine"));
    }
  }
}
