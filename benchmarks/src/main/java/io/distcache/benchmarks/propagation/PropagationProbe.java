package io.distcache.benchmarks.propagation;

import io.distcache.benchmarks.data.Dataset;
import io.distcache.benchmarks.data.Payload;
import io.distcache.jcache.DistCache;
import io.distcache.jcache.near.NearEntry;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Times how long a change takes from the start of its write to the moment an edge's near cache stops
 * serving the old version.
 *
 * <p>Per update: the edge reads the key (so its near cache holds it), the source writes a new value,
 * and this thread polls the edge's near cache until the old version is gone. The time runs from just
 * before the write call, so it includes the write's own round trip: an upper bound on what a reader
 * of the edge can observe.
 */
public final class PropagationProbe {

  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final DistCache<String, Payload> edge;

  /** A probe watching {@code edge}'s near cache. */
  public PropagationProbe(DistCache<String, Payload> edge) {
    this.edge = edge;
  }

  /**
   * Runs {@code warmup} unrecorded then {@code updates} recorded updates through {@code source}.
   *
   * @throws IllegalStateException when the edge cannot cache the keys it reads
   */
  public LatencySummary measure(UpdateSource source, int warmup, int updates) {
    SplittableRandom random = new SplittableRandom(99L);
    runUpdates(source, random, warmup, 1);
    long[] samples = new long[updates];
    int measured = 0;
    int timeouts = 0;
    for (int i = 0; i < updates; i++) {
      long sample = oneUpdate(source, random, 2 + i);
      if (sample < 0) {
        timeouts++;
      } else {
        samples[measured++] = sample;
      }
    }
    return LatencySummary.of(source.label(), Arrays.copyOf(samples, measured), timeouts);
  }

  private void runUpdates(UpdateSource source, SplittableRandom random, int count, int revision) {
    for (int i = 0; i < count; i++) {
      oneUpdate(source, random, revision);
    }
  }

  /** One timed update; -1 when the old version was still served after the time limit. */
  private long oneUpdate(UpdateSource source, SplittableRandom random, int revision) {
    int index = random.nextInt(Dataset.SIZE);
    String key = Dataset.key(index);
    long oldVersion = cachedVersion(key);
    Payload value = Payload.sample(index, revision);
    long start = System.nanoTime();
    source.update(key, value);
    while (true) {
      NearEntry.Present near = edge.nearCopy(key);
      long now = System.nanoTime();
      if (near == null || near.version() > oldVersion) {
        return now - start;
      }
      if (now - start > TIMEOUT_NANOS) {
        return -1;
      }
      // the follower, both clients' I/O threads and redis-server share this machine's cores
      Thread.yield();
    }
  }

  /** Reads the key through the edge so its near cache holds it; the held version. */
  private long cachedVersion(String key) {
    for (int attempt = 0; attempt < 100; attempt++) {
      edge.get(key);
      NearEntry.Present near = edge.nearCopy(key);
      if (near != null) {
        return near.version();
      }
      Thread.yield();
    }
    throw new IllegalStateException("the edge's near cache does not keep key " + key + " after reading it");
  }
}
