package io.distcache.checker;

import java.util.concurrent.atomic.LongAdder;

/**
 * How stale reads were, counted in fixed buckets: a read's staleness is how long a newer version than
 * the one it returned had been acknowledged when it began ({@code 0} for a fresh read). Thread-safe;
 * adding is a bucket search and one {@link LongAdder} increment, cheap enough for every read.
 */
final class StalenessHistogram {

  /** Upper limits of the buckets in milliseconds; {@code 0} holds the fresh reads, the last bucket is open. */
  private static final long[] LIMITS_MILLIS = {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

  private final LongAdder[] counts = new LongAdder[LIMITS_MILLIS.length + 1];

  StalenessHistogram() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  void add(long stalenessNanos) {
    int bucket = 0;
    while (bucket < LIMITS_MILLIS.length && stalenessNanos > LIMITS_MILLIS[bucket] * 1_000_000) {
      bucket++;
    }
    counts[bucket].increment();
  }

  /** A snapshot. */
  Summary summary() {
    long[] snapshot = new long[counts.length];
    for (int i = 0; i < counts.length; i++) {
      snapshot[i] = counts[i].sum();
    }
    return new Summary(snapshot);
  }

  /** Bucket counts at one moment; quantiles are given as the upper limit of the bucket they fall in. */
  static final class Summary {

    private final long[] counts;
    private final long total;

    private Summary(long[] counts) {
      this.counts = counts;
      long sum = 0;
      for (long count : counts) {
        sum += count;
      }
      this.total = sum;
    }

    /** How many reads were counted. */
    long total() {
      return total;
    }

    /**
     * The staleness at most {@code quantile} of the reads had, as a bucket's upper limit in milliseconds;
     * {@code -1} when it lies in the open bucket above the last limit, or nothing was counted.
     */
    long quantileMillis(double quantile) {
      if (total == 0) {
        return -1;
      }
      long needed = (long) Math.ceil(quantile * total);
      long cumulative = 0;
      for (int i = 0; i < LIMITS_MILLIS.length; i++) {
        cumulative += counts[i];
        if (cumulative >= needed) {
          return LIMITS_MILLIS[i];
        }
      }
      return -1;
    }

    @Override
    public String toString() {
      if (total == 0) {
        return "no reads";
      }
      return "p99 " + describe(quantileMillis(0.99)) + ", p99.9 " + describe(quantileMillis(0.999)) + ", p99.99 "
          + describe(quantileMillis(0.9999)) + " (" + total + " reads, " + counts[0] + " fresh)";
    }

    private static String describe(long millis) {
      return millis < 0 ? "> " + LIMITS_MILLIS[LIMITS_MILLIS.length - 1] + " ms"
          : millis == 0 ? "0 (fresh)" : "<= " + millis + " ms";
    }
  }
}
