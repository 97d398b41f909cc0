package io.distcache.benchmarks.propagation;

import java.util.Arrays;

/**
 * Percentiles of measured propagation times.
 *
 * @param label what was measured
 * @param count updates measured
 * @param timeouts updates whose invalidation never arrived within the probe's limit (not in the percentiles)
 * @param p50Nanos median
 * @param p90Nanos 90th percentile
 * @param p99Nanos 99th percentile
 * @param p999Nanos 99.9th percentile
 * @param maxNanos largest
 */
public record LatencySummary(String label, int count, int timeouts, long p50Nanos, long p90Nanos, long p99Nanos,
    long p999Nanos, long maxNanos) {

  /** Summarises samples (nanoseconds); the array is sorted in place. */
  public static LatencySummary of(String label, long[] samples, int timeouts) {
    Arrays.sort(samples);
    if (samples.length == 0) {
      return new LatencySummary(label, 0, timeouts, -1, -1, -1, -1, -1);
    }
    return new LatencySummary(label, samples.length, timeouts, percentile(samples, 0.50), percentile(samples, 0.90),
        percentile(samples, 0.99), percentile(samples, 0.999), samples[samples.length - 1]);
  }

  /** Nearest-rank percentile of sorted samples. */
  private static long percentile(long[] sorted, double fraction) {
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
