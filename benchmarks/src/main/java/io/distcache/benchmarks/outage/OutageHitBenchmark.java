package io.distcache.benchmarks.outage;

import io.distcache.benchmarks.data.Dataset;
import io.distcache.benchmarks.data.Payload;
import io.distcache.benchmarks.data.RandomKeys;
import io.distcache.benchmarks.peer.DistcachePeer;
import io.distcache.benchmarks.peer.OpenCache;
import io.distcache.benchmarks.report.Group;
import io.distcache.benchmarks.report.Reported;
import io.distcache.jcache.DistCache;
import io.distcache.testkit.RedisServer;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Group "near hit during a Redis outage": the latency distribution (JMH sample mode, so percentiles are
 * reported) of a distcache near hit while its Redis is down, next to the same hit with Redis up. Each row
 * starts a redis-server of its own, since the down rows kill it.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OutageHitBenchmark {

  /** Far longer than any run, so every hit of the down rows is inside the stale-on-failure window. */
  private static final String STALE_ON_FAILURE = "1h";
  private static final long BREAKER_OPEN_TIMEOUT_MILLIS = 60_000;

  /** A distcache cache on a redis-server of its own, its near cache holding the whole data set. */
  @State(Scope.Benchmark)
  public abstract static class Edge {
    RedisServer redis;
    OpenCache open;

    abstract boolean storeByValue();

    abstract boolean redisDown();

    /** Fills the near cache, then (for the down rows) kills Redis and waits for the breaker to open. */
    @Setup(Level.Trial)
    public void setUp() {
      redis = RedisServer.start();
      Properties settings = new Properties();
      settings.setProperty("outage.stale-on-failure", STALE_ON_FAILURE);
      open = DistcachePeer.open("outage-hit", storeByValue(), DistcachePeer.NEAR_ITEMS_FOR_HITS,
          "redis://" + redis.host() + ":" + redis.port(), settings).load();
      requireAllNear();
      if (redisDown()) {
        redis.kill();
        awaitBreakerOpen();
        requireAllNear();
      }
      open.requireAllPresent();
    }

    private void requireAllNear() {
      DistCache<String, Payload> cache = DistcachePeer.unwrap(open);
      for (int i = 0; i < Dataset.SIZE; i++) {
        if (cache.nearCopy(Dataset.key(i)) == null) {
          throw new IllegalStateException("key " + Dataset.key(i) + " is not held near; a hit row would measure"
              + " Redis reads (or, with Redis down, failures)");
        }
      }
    }

    /**
     * Misses until one fails fast: the breaker opens after {@code outage.failure-threshold} failed calls,
     * then refuses calls without trying Redis.
     */
    private void awaitBreakerOpen() {
      long deadline = System.currentTimeMillis() + BREAKER_OPEN_TIMEOUT_MILLIS;
      while (System.currentTimeMillis() < deadline) {
        try {
          open.cache().get("not-in-the-data-set");
        } catch (CacheException e) {
          if (String.valueOf(e.getMessage()).contains("failing fast")) {
            return;
          }
        }
      }
      throw new IllegalStateException("the circuit breaker did not open within " + BREAKER_OPEN_TIMEOUT_MILLIS
          + " ms of killing Redis");
    }

    /** Closes the cache and stops (or cleans up after) the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
      open.close();
      redis.close();
    }
  }

  /** By reference, Redis up. */
  public static class ByReferenceUp extends Edge {
    @Override
    boolean storeByValue() {
      return false;
    }

    @Override
    boolean redisDown() {
      return false;
    }
  }

  /** By reference, Redis killed. */
  public static class ByReferenceDown extends ByReferenceUp {
    @Override
    boolean redisDown() {
      return true;
    }
  }

  /** By value (the JSR-107 default), Redis up. */
  public static class ByValueUp extends Edge {
    @Override
    boolean storeByValue() {
      return true;
    }

    @Override
    boolean redisDown() {
      return false;
    }
  }

  /** By value, Redis killed. */
  public static class ByValueDown extends ByValueUp {
    @Override
    boolean redisDown() {
      return true;
    }
  }

  @Benchmark
  @Reported(group = Group.OUTAGE_HIT, label = "distcache near hit, by reference, Redis up (baseline)", baseline = true)
  public Payload byReferenceRedisAlive(ByReferenceUp state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.OUTAGE_HIT, label = "distcache near hit, by reference, Redis killed (breaker open)")
  public Payload byReferenceRedisKilled(ByReferenceDown state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.OUTAGE_HIT, label = "distcache near hit, by value, Redis up")
  public Payload byValueRedisAlive(ByValueUp state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.OUTAGE_HIT, label = "distcache near hit, by value, Redis killed (breaker open)")
  public Payload byValueRedisKilled(ByValueDown state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }
}
