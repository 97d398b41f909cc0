package io.distcache.jcache.near;

import java.util.concurrent.locks.LockSupport;

/**
 * A clock for near caches whose only time bound is {@code near.max-ttl} (minutes): a volatile
 * read of a time a daemon thread refreshes every {@value #RESOLUTION_MILLIS} ms, instead of a
 * {@link System#nanoTime()} call on every hit, which would cost more than the hit itself. Its
 * {@linkplain #ticks() tick count} paces how often a hit is reported to Caffeine's eviction policy.
 */
final class CoarseTicker {

  static final long RESOLUTION_MILLIS = 25;
  static final CoarseTicker INSTANCE = new CoarseTicker();

  private volatile long now = System.nanoTime();
  /** Refreshes so far; written by the clock thread only. */
  private volatile int ticks;

  private CoarseTicker() {
    Thread thread = new Thread(() -> {
      while (true) {
        LockSupport.parkNanos(RESOLUTION_MILLIS * 1_000_000L);
        now = System.nanoTime();
        ticks++;
      }
    }, "distcache-near-clock");
    thread.setDaemon(true);
    thread.start();
  }

  /** {@link System#nanoTime()} as of the last refresh, at most {@value #RESOLUTION_MILLIS} ms ago. */
  long read() {
    return now;
  }

  /** How many times the clock advanced: a number that changes every {@value #RESOLUTION_MILLIS} ms. */
  int ticks() {
    return ticks;
  }
}
