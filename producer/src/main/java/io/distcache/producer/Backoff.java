package io.distcache.producer;

/** Exponential backoff between retries: 100 ms doubling up to 5 s, reset after a success. */
final class Backoff {

  private static final long FIRST_MILLIS = 100;
  private static final long MAX_MILLIS = 5_000;

  private long next = FIRST_MILLIS;

  /** Sleeps the current delay and doubles it; returns {@code false} when interrupted. */
  boolean pause() {
    try {
      Thread.sleep(next);
      next = Math.min(MAX_MILLIS, next * 2);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The delay the next {@link #pause()} sleeps. */
  long nextMillis() {
    return next;
  }

  void reset() {
    next = FIRST_MILLIS;
  }
}
