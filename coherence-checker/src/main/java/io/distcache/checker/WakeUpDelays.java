package io.distcache.checker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How late a thread that parks for {@link #PERIOD_NANOS} wakes up on this machine while the checker runs: the
 * scheduling delays, CPU steal and GC pauses that hold up every thread of the JVM, the change-log followers'
 * included. An edge drops a stale near copy only when its follower thread runs, so while the platform holds
 * threads up, reads are stale for reasons no cache protocol can help; the {@link Ledger} judges the bound on top of
 * this baseline, measured in the same run (docs/testing.md, "The coherence bound").
 *
 * <p>Counted in fixed buckets of {@link #BUCKET_NANOS} up to {@link #LARGEST_NANOS} (and one above), so a soak of
 * hours keeps the same few kilobytes. Thread-safe.
 */
final class WakeUpDelays {

  /** How long the sampler thread ({@link CoherenceChecker}) parks between wake-ups. */
  static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** The resolution of the delays. */
  static final long BUCKET_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
  /** The largest delay told apart; longer ones share the last bucket and count as this long. */
  static final long LARGEST_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final AtomicLongArray counts = new AtomicLongArray((int) (LARGEST_NANOS / BUCKET_NANOS) + 1);

  /** Records that a wake-up due at {@code dueNanos} happened at {@code wokeNanos}. */
  void woke(long dueNanos, long wokeNanos) {
    long delay = Math.max(0, wokeNanos - dueNanos);
    // Rounded up: a delay counts as its bucket's upper limit, never as less than it was.
    counts.incrementAndGet((int) Math.min(counts.length() - 1, (delay + BUCKET_NANOS - 1) / BUCKET_NANOS));
  }

  /** The percentiles of the delays recorded, each as the upper limit of its bucket. */
  Latencies.Summary summary() {
    long[] snapshot = snapshot();
    long total = 0;
    int largest = 0;
    for (int i = 0; i < snapshot.length; i++) {
      total += snapshot[i];
      if (snapshot[i] > 0) {
        largest = i;
      }
    }
    return new Latencies.Summary(total, quantile(snapshot, total, 0.5), quantile(snapshot, total, 0.99),
        quantile(snapshot, total, 0.999), largest * BUCKET_NANOS);
  }

  /**
   * The smallest delay {@code x} such that the platform held threads up beyond {@code x} during at most
   * {@code share} of the time sampled: the sum over the wake-ups of {@code max(0, delay - x)}, against the time the
   * wake-ups covered (each its period plus its delay). Weighted by time because a pause of {@code d} holds up every
   * read made while it lasts, and reads are stale beyond {@code x} for {@code d - x} of it: a 20 ms pause each
   * second is one late wake-up in a thousand, but beyond 10 ms for 1 % of the time. {@code 0} without samples.
   */
  long exceededFor(double share) {
    long[] snapshot = snapshot();
    double total = 0;
    for (int i = 0; i < snapshot.length; i++) {
      total += snapshot[i] * (double) (PERIOD_NANOS + i * BUCKET_NANOS);
    }
    double budget = share * total;
    double heldBeyond = 0;
    long above = 0;
    for (int i = snapshot.length - 1; i > 0; i--) {
      // Lowering x from bucket i to i - 1 adds one bucket of time beyond x for every wake-up at i or above.
      above += snapshot[i];
      heldBeyond += above * (double) BUCKET_NANOS;
      if (heldBeyond > budget) {
        return i * BUCKET_NANOS;
      }
    }
    return 0;
  }

  private long[] snapshot() {
    long[] snapshot = new long[counts.length()];
    for (int i = 0; i < snapshot.length; i++) {
      snapshot[i] = counts.get(i);
    }
    return snapshot;
  }

  private static long quantile(long[] snapshot, long total, double fraction) {
    long rank = (long) Math.ceil(fraction * total);
    long seen = 0;
    for (int i = 0; i < snapshot.length; i++) {
      seen += snapshot[i];
      if (seen >= rank && seen > 0) {
        return i * BUCKET_NANOS;
      }
    }
    return 0;
  }
}
