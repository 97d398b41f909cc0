package io.distcache.benchmarks.write;

import io.distcache.benchmarks.data.Dataset;
import io.distcache.benchmarks.data.Payload;
import io.distcache.benchmarks.data.RandomKeys;
import io.distcache.benchmarks.peer.DistcachePeer;
import io.distcache.benchmarks.peer.OpenCache;
import io.distcache.benchmarks.peer.RawRedis;
import io.distcache.benchmarks.peer.RedisEndpoint;
import io.distcache.benchmarks.peer.RedissonPeer;
import io.distcache.benchmarks.report.Group;
import io.distcache.benchmarks.report.Reported;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
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
 * Group 4: a write of a random key with a prebuilt value (encoding included, building the value not): raw
 * {@code SET}, distcache {@code put} and {@code invoke} without and with the per-key lease, Redisson.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PutBenchmark {

  /** The values written, built once so every row writes the same objects. */
  @State(Scope.Benchmark)
  public static class Values {
    final Payload[] values = new Payload[Dataset.SIZE];

    /** Builds the values (second revision of each record). */
    @Setup(Level.Trial)
    public void setUp() {
      for (int i = 0; i < Dataset.SIZE; i++) {
        values[i] = Payload.sample(i, 1);
      }
    }
  }

  /** The raw Lettuce client. */
  @State(Scope.Benchmark)
  public static class Raw {
    RawRedis redis;

    /** Connects and loads. */
    @Setup(Level.Trial)
    public void setUp() {
      redis = new RawRedis().load();
    }

    /** Disconnects. */
    @TearDown(Level.Trial)
    public void tearDown() {
      redis.close();
    }
  }

  /** A JCache peer, filled first so writes are updates; subclasses say which. */
  @State(Scope.Benchmark)
  public abstract static class Peer {
    OpenCache open;

    abstract OpenCache open();

    /** Opens and fills the cache. */
    @Setup(Level.Trial)
    public void setUp() {
      open = open().load();
    }

    /** Closes the cache. */
    @TearDown(Level.Trial)
    public void tearDown() {
      open.close();
    }
  }

  /** distcache with its defaults (by value, near cache on). */
  public static class Distcache extends Peer {
    @Override
    OpenCache open() {
      return DistcachePeer.open("write", true, DistcachePeer.NEAR_ITEMS_FOR_HITS);
    }
  }

  /** distcache taking the per-key lease for every write ({@code lease=writes}), as write-through caches do. */
  public static class DistcacheLeased extends Peer {
    @Override
    OpenCache open() {
      Properties settings = new Properties();
      settings.setProperty("defaults.lease", "writes");
      return DistcachePeer.open("write-leased", true, DistcachePeer.NEAR_ITEMS_FOR_HITS, RedisEndpoint.uri(),
          settings);
    }
  }

  /** distcache with its defaults but values in the positional codec format. */
  public static class DistcachePositional extends Peer {
    @Override
    OpenCache open() {
      return DistcachePeer.openPositional("write-positional", true, DistcachePeer.NEAR_ITEMS_FOR_HITS);
    }
  }

  /** Replaces the entry's value with the argument: an {@code invoke} that writes, run in the caller's JVM. */
  static final class SetValue implements EntryProcessor<String, Payload, Void> {
    static final SetValue INSTANCE = new SetValue();

    @Override
    public Void process(MutableEntry<String, Payload> entry, Object... arguments) {
      entry.setValue((Payload) arguments[0]);
      return null;
    }
  }

  /** Redisson's JCache. */
  public static class Redisson extends Peer {
    @Override
    OpenCache open() {
      return RedissonPeer.open("write");
    }
  }

  @Benchmark
  @Reported(group = Group.WRITE, label = "Kryo encode + Lettuce sync `SET` (raw, baseline)", baseline = true)
  public void lettuceSet(Raw state, Values values, RandomKeys keys) {
    int i = keys.nextIndex();
    state.redis.set(Dataset.key(i), values.values[i]);
  }

  @Benchmark
  @Reported(group = Group.WRITE, label = "distcache `put` (by value, near cache on)")
  public void distcachePut(Distcache state, Values values, RandomKeys keys) {
    int i = keys.nextIndex();
    state.open.cache().put(Dataset.key(i), values.values[i]);
  }

  @Benchmark
  @Reported(group = Group.WRITE, label = "distcache `put`, `codec.format=positional`")
  public void distcachePutPositional(DistcachePositional state, Values values, RandomKeys keys) {
    int i = keys.nextIndex();
    state.open.cache().put(Dataset.key(i), values.values[i]);
  }

  @Benchmark
  @Reported(group = Group.WRITE, label = "distcache `put` with the per-key lease (`lease=writes`)")
  public void distcachePutLeased(DistcacheLeased state, Values values, RandomKeys keys) {
    int i = keys.nextIndex();
    state.open.cache().put(Dataset.key(i), values.values[i]);
  }

  @Benchmark
  @Reported(group = Group.WRITE, label = "distcache `invoke` setting the value (compare-and-set)")
  public void distcacheInvoke(Distcache state, Values values, RandomKeys keys) {
    int i = keys.nextIndex();
    state.open.cache().invoke(Dataset.key(i), SetValue.INSTANCE, values.values[i]);
  }

  @Benchmark
  @Reported(group = Group.WRITE, label = "distcache `invoke` setting the value, with the per-key lease")
  public void distcacheInvokeLeased(DistcacheLeased state, Values values, RandomKeys keys) {
    int i = keys.nextIndex();
    state.open.cache().invoke(Dataset.key(i), SetValue.INSTANCE, values.values[i]);
  }

  @Benchmark
  @Reported(group = Group.WRITE, label = "Redisson JCache `put`")
  public void redissonPut(Redisson state, Values values, RandomKeys keys) {
    int i = keys.nextIndex();
    state.open.cache().put(Dataset.key(i), values.values[i]);
  }
}
