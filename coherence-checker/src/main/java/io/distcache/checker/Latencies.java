package io.distcache.checker;

import java.util.Arrays;

/** A growing, thread-safe record of durations in nanoseconds, summarised by percentiles. */
final class Latencies {

  private long[] samples = new long[4096];
  private int size;

  synchronized void add(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  /** Everything recorded so far, in ascending order (sorted outside the lock, so recording goes on meanwhile). */
  long[] sorted() {
    long[] sorted;
    synchronized (this) {
      sorted = Arrays.copyOf(samples, size);
    }
    Arrays.sort(sorted);
    return sorted;
  }

  /** The percentiles of everything recorded so far. */
  Summary summary() {
    long[] sorted = sorted();
    int size = sorted.length;
    return new Summary(size, percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999),
        size == 0 ? 0 : sorted[size - 1]);
  }

  private static long percentile(long[] sorted, double fraction) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(fraction * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /**
   * Percentiles of a set of durations.
   *
   * @param count how many durations were recorded
   * @param p50Nanos the median
   * @param p99Nanos the 99th percentile
   * @param p999Nanos the 99.9th percentile
   * @param maxNanos the largest
   */
  record Summary(long count, long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos) {

    @Override
    public String toString() {
      return count == 0 ? "no samples"
          : String.format("p50 %s, p99 %s, p99.9 %s, max %s (%d samples)", millis(p50Nanos), millis(p99Nanos),
              millis(p999Nanos), millis(maxNanos), count);
    }

    static String millis(long nanos) {
      return String.format("%.3f ms", nanos / 1e6);
    }
  }
}
