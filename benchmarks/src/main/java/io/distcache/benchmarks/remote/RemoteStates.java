package io.distcache.benchmarks.remote;

import io.distcache.benchmarks.data.Dataset;
import io.distcache.benchmarks.peer.DistcachePeer;
import io.distcache.benchmarks.peer.OpenCache;
import io.distcache.benchmarks.peer.RawRedis;
import io.distcache.benchmarks.peer.RedissonPeer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The JMH states of the rows whose reads go to Redis (remote get and bulk get), all holding the full data set. */
public final class RemoteStates {

  /** Share of reads that must reach Redis for a near-miss row to count as one. */
  private static final double REQUIRED_REMOTE_SHARE = 0.999;

  private RemoteStates() {
  }

  /** The raw Lettuce client with the data set loaded. */
  @State(Scope.Benchmark)
  public static class Raw {
    public RawRedis redis;

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

  /** A JCache peer whose every read goes to Redis; subclasses say which. */
  @State(Scope.Benchmark)
  public abstract static class RemoteCache {
    public OpenCache open;

    abstract OpenCache open();

    /** Further checks that reads really reach Redis. */
    void verify() {
    }

    /** Opens and fills the cache; checks that every key reads back. */
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

  /** distcache with {@code near.max-items = 0}: the near cache serves nothing. */
  public abstract static class Distcache extends RemoteCache {

    /** Reads every key once more and fails unless nearly every read was a Redis GET. */
    @Override
    void verify() {
      try (RawRedis probe = new RawRedis()) {
        long before = probe.calls("get");
        for (int i = 0; i < Dataset.SIZE; i++) {
          open.cache().get(Dataset.key(i));
        }
        long remote = probe.calls("get") - before;
        if (remote < REQUIRED_REMOTE_SHARE * Dataset.SIZE) {
          throw new IllegalStateException("only " + remote + " of " + Dataset.SIZE + " reads reached Redis;"
              + " the near cache still serves reads with near.max-items = 0");
        }
      }
    }
  }

  /** distcache by value (the JSR-107 default), nothing held near. */
  public static class DistcacheByValue extends Distcache {
    @Override
    OpenCache open() {
      return DistcachePeer.open("remote-by-value", true, 0);
    }
  }

  /** distcache by value, nothing held near, values in the positional codec format. */
  public static class DistcacheByValuePositional extends Distcache {
    @Override
    OpenCache open() {
      return DistcachePeer.openPositional("remote-by-value-positional", true, 0);
    }
  }

  /** distcache by reference, nothing held near. */
  public static class DistcacheByReference extends Distcache {
    @Override
    OpenCache open() {
      return DistcachePeer.open("remote-by-reference", false, 0);
    }
  }

  /** Redisson's JCache (every read is a Redis script call). */
  public static class Redisson extends RemoteCache {
    @Override
    OpenCache open() {
      return RedissonPeer.open("remote");
    }
  }
}
