package io.distcache.benchmarks.report;

/**
 * One JMH result placed in the table.
 *
 * @param group the table
 * @param threads benchmark threads
 * @param method the benchmark method's simple name
 * @param label the row label
 * @param baseline whether it is the group's baseline
 * @param score mean time per operation, in {@code unit}
 * @param error JMH's 99.9% confidence half-width, NaN when too few iterations
 * @param unit JMH's unit, e.g. {@code ns/op}
 * @param best the fastest measurement iteration's mean, in {@code unit}: on a machine busy with other work,
 *     the iteration least disturbed by it
 * @param allocatedBytesPerOp bytes allocated per operation ({@code -prof gc}), NaN when not profiled
 * @param latency the distribution of single calls, for rows of a {@linkplain Group#percentiles() sampled}
 *     group; {@code null} otherwise
 */
public record MeasuredRow(Group group, int threads, String method, String label, boolean baseline, double score,
    double error, String unit, double best, double allocatedBytesPerOp, Percentiles latency) {

  /**
   * The distribution of sampled call times, in the row's {@code unit}.
   *
   * @param samples how many calls were timed
   * @param p50 median
   * @param p99 99th percentile
   * @param p999 99.9th percentile
   * @param max slowest call
   */
  public record Percentiles(long samples, double p50, double p99, double p999, double max) {
  }

  /** Mean time per operation in nanoseconds. */
  public double nanosPerOp() {
    return toNanos(score);
  }

  /** The best iteration's time per operation in nanoseconds. */
  public double bestNanosPerOp() {
    return toNanos(best);
  }

  /** A time in this row's {@code unit}, in nanoseconds. */
  public double toNanos(double value) {
    return switch (unit) {
      case "ns/op" -> value;
      case "us/op" -> value * 1e3;
      case "ms/op" -> value * 1e6;
      case "s/op" -> value * 1e9;
      default -> throw new IllegalArgumentException("unexpected JMH unit " + unit);
    };
  }

  /** Operations per second over all threads. */
  public double opsPerSecond() {
    return threads * 1e9 / nanosPerOp();
  }
}
