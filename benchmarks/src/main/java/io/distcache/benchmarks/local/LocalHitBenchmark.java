package io.distcache.benchmarks.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.distcache.benchmarks.data.Dataset;
import io.distcache.benchmarks.data.Payload;
import io.distcache.benchmarks.data.RandomKeys;
import io.distcache.benchmarks.peer.DistcachePeer;
import io.distcache.benchmarks.peer.LocalPeers;
import io.distcache.benchmarks.peer.OpenCache;
import io.distcache.benchmarks.report.Group;
import io.distcache.benchmarks.report.Reported;
import io.distcache.jcache.DistCache;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * Group 1: a read of a key held in this JVM. JMH runs each method in its own fork, so only the
 * state of the measured peer exists in a fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LocalHitBenchmark {

  /** Raw Caffeine, bounded to the near cache's capacity (a near cache must be bounded). */
  @State(Scope.Benchmark)
  public static class RawCaffeine {
    Cache<String, Payload> cache;

    /** Fills the cache. */
    @Setup(Level.Trial)
    public void setUp() {
      cache = Caffeine.newBuilder().maximumSize(DistcachePeer.NEAR_ITEMS_FOR_HITS).build();
      cache.putAll(Dataset.entries());
    }
  }

  /**
   * Raw Caffeine built the way the near cache builds its own (weight bound plus per-entry expiry), holding
   * the same kind of entry object: the share of the near-hit time that Caffeine's configuration explains.
   */
  @State(Scope.Benchmark)
  public static class NearLikeCaffeine {
    Cache<String, Object[]> cache;

    /** Fills the cache. */
    @Setup(Level.Trial)
    public void setUp() {
      long unit = 64L * 1024 * 1024 / DistcachePeer.NEAR_ITEMS_FOR_HITS;
      cache = Caffeine.newBuilder()
          .maximumWeight(64L * 1024 * 1024)
          .weigher((String key, Object[] entry) -> (int) unit)
          .expireAfter(Expiry.creating((String key, Object[] entry) -> Duration.ofMinutes(10)))
          .build();
      Dataset.entries().forEach((key, value) -> cache.put(key, new Object[] {value}));
    }
  }

  /** A JCache peer; subclasses say which. */
  @State(Scope.Benchmark)
  public abstract static class Peer {
    OpenCache open;

    abstract OpenCache open();

    /** Further checks that every read will be a hit. */
    void verify() {
    }

    /** Opens and fills the cache and checks every key hits. */
    @Setup(Level.Trial)
    public void setUp() {
      open = open().load().requireAllPresent();
      verify();
    }

    /** Closes the cache. */
    @TearDown(Level.Trial)
    public void tearDown() {
      open.close();
    }
  }

  /** distcache, near cache large enough for the data set. */
  public abstract static class Distcache extends Peer {
    @Override
    void verify() {
      DistCache<String, Payload> cache = DistcachePeer.unwrap(open);
      int held = 0;
      for (int i = 0; i < Dataset.SIZE; i++) {
        held += cache.nearCopy(Dataset.key(i)) != null ? 1 : 0;
      }
      if (held != Dataset.SIZE) {
        throw new IllegalStateException("the near cache holds " + held + " of " + Dataset.SIZE
            + " keys after filling it; a hit row would measure Redis reads");
      }
    }
  }

  /** distcache by reference. */
  public static class DistcacheByReference extends Distcache {
    @Override
    OpenCache open() {
      return DistcachePeer.open("local-hit-by-reference", false, DistcachePeer.NEAR_ITEMS_FOR_HITS);
    }
  }

  /** distcache by value (the JSR-107 default). */
  public static class DistcacheByValue extends Distcache {
    @Override
    OpenCache open() {
      return DistcachePeer.open("local-hit-by-value", true, DistcachePeer.NEAR_ITEMS_FOR_HITS);
    }
  }

  /** distcache by value, values in the positional codec format. */
  public static class DistcacheByValuePositional extends Distcache {
    @Override
    OpenCache open() {
      return DistcachePeer.openPositional("local-hit-by-value-positional", true, DistcachePeer.NEAR_ITEMS_FOR_HITS);
    }
  }

  /** Caffeine's JCache by reference. */
  public static class CaffeineJCacheByReference extends Peer {
    @Override
    OpenCache open() {
      return LocalPeers.caffeine("local-hit", false);
    }
  }

  /** Caffeine's JCache by reference, bounded like the near cache and the raw baseline. */
  public static class CaffeineJCacheBoundedByReference extends Peer {
    @Override
    OpenCache open() {
      return LocalPeers.caffeineBounded("local-hit", false, DistcachePeer.NEAR_ITEMS_FOR_HITS);
    }
  }

  /** Caffeine's JCache by value (Java-serialization copier). */
  public static class CaffeineJCacheByValue extends Peer {
    @Override
    OpenCache open() {
      return LocalPeers.caffeine("local-hit", true);
    }
  }

  /** Ehcache 3's JCache by reference. */
  public static class EhcacheByReference extends Peer {
    @Override
    OpenCache open() {
      return LocalPeers.ehcache("local-hit", false);
    }
  }

  /** Ehcache 3's JCache by value. */
  public static class EhcacheByValue extends Peer {
    @Override
    OpenCache open() {
      return LocalPeers.ehcache("local-hit", true);
    }
  }

  @Benchmark
  @Reported(group = Group.LOCAL_HIT, label = "Caffeine `getIfPresent`, bounded to 20,000 (raw, baseline)", baseline = true)
  public Payload caffeineRaw(RawCaffeine state, RandomKeys keys) {
    return state.cache.getIfPresent(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.LOCAL_HIT,
      label = "Caffeine `getIfPresent`, weigher + per-entry expiry like the near cache (raw, diagnostic)")
  public Payload caffeineNearLike(NearLikeCaffeine state, RandomKeys keys) {
    Object[] entry = state.cache.getIfPresent(keys.nextKey());
    return entry == null ? null : (Payload) entry[0];
  }

  @Benchmark
  @Reported(group = Group.LOCAL_HIT, label = "distcache near hit, by reference (near max-items 20,000)")
  public Payload distcacheByReference(DistcacheByReference state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.LOCAL_HIT, label = "distcache near hit, by value (near max-items 20,000)")
  public Payload distcacheByValue(DistcacheByValue state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.LOCAL_HIT, label = "distcache near hit, by value, `codec.format=positional`")
  public Payload distcacheByValuePositional(DistcacheByValuePositional state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.LOCAL_HIT, label = "Caffeine JCache, by reference (JSR-107 default: unbounded)")
  public Payload caffeineJCacheByReference(CaffeineJCacheByReference state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.LOCAL_HIT, label = "Caffeine JCache, by reference, bounded to 20,000")
  public Payload caffeineJCacheBoundedByReference(CaffeineJCacheBoundedByReference state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.LOCAL_HIT, label = "Caffeine JCache, by value (unbounded)")
  public Payload caffeineJCacheByValue(CaffeineJCacheByValue state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.LOCAL_HIT, label = "Ehcache 3 JCache, by reference (JSR-107 defaults)")
  public Payload ehcacheByReference(EhcacheByReference state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.LOCAL_HIT, label = "Ehcache 3 JCache, by value (JSR-107 defaults)")
  public Payload ehcacheByValue(EhcacheByValue state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }
}
