package io.distcache.jcache.contention;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.cache.CacheException;

/**
 * Pauses between two tries at a contended key: the bound doubles from 100 µs up to a maximum, and each
 * pause is drawn between half and all of it, so writers that collided once do not collide again in step.
 */
public final class Backoff {

  private static final long FIRST_BOUND_NANOS = 100_000;

  private final long maxNanos;

  /** Creates a backoff whose pauses never exceed {@code max}. */
  public Backoff(Duration max) {
    this.maxNanos = max.toNanos();
  }

  /**
   * Pauses before try number {@code attempt + 1}, for at most {@code limitNanos}.
   *
   * @throws CacheException if the thread is interrupted (its interrupt flag stays set)
   */
  public void pause(int attempt, long limitNanos) {
    long bound = Math.min(maxNanos, FIRST_BOUND_NANOS << Math.min(attempt - 1, 30));
    long nanos = bound / 2 + ThreadLocalRandom.current().nextLong(bound / 2 + 1);
    LockSupport.parkNanos(Math.min(nanos, limitNanos));
    if (Thread.currentThread().isInterrupted()) {
      throw new CacheException("interrupted while waiting to retry a contended write");
    }
  }
}
