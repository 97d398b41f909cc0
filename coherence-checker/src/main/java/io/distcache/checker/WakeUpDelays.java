package io.distcache.checker;

import java.util.concurrent.TimeUnit;

/**
 * How late a thread that parks for {@link #PERIOD_NANOS} wakes up on this machine while the checker runs: the
 * scheduling delays, CPU steal and GC pauses that hold up every thread of the JVM, the change-log followers'
 * included. An edge drops a stale near copy only when its follower thread runs, so while the platform holds
 * threads up, reads are stale for reasons no cache protocol can help; the {@link Ledger} judges the bound on top of
 * this baseline, measured in the same run (docs/testing.md, "The coherence bound").
 */
final class WakeUpDelays {

  /** How long the sampler thread ({@link CoherenceChecker}) parks between wake-ups. */
  static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Latencies delays = new Latencies();

  /** Records that a wake-up due at {@code dueNanos} happened at {@code wokeNanos}. */
  void woke(long dueNanos, long wokeNanos) {
    delays.add(Math.max(0, wokeNanos - dueNanos));
  }

  /** The percentiles of the delays recorded. */
  Latencies.Summary summary() {
    return delays.summary();
  }

  /**
   * The delay that the platform exceeded during at most {@code share} of the time sampled, each wake-up covering
   * its period and its delay. Weighted by time because a pause holds up every read made while it lasts: a 20 ms
   * pause each second is one late wake-up in a thousand, but 2 % of the reads. {@code 0} without samples.
   */
  long exceededFor(double share) {
    long[] sorted = delays.sorted();
    long total = 0;
    for (long delay : sorted) {
      total += PERIOD_NANOS + delay;
    }
    long covered = 0;
    for (int i = sorted.length - 1; i >= 0; i--) {
      covered += PERIOD_NANOS + sorted[i];
      if (covered > share * total) {
        return sorted[i];
      }
    }
    return 0;
  }
}
