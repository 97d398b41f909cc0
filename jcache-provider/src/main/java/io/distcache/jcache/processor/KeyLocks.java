package io.distcache.jcache.processor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.cache.CacheException;

/**
 * Mutual exclusion per key inside this JVM, for entry processors and leased writes: while one thread runs an
 * {@code EntryProcessor} on a key and commits its result, another thread's processor for the same key
 * waits, then sees the committed value instead of racing it and running again (a compare-and-set retry).
 * So a processor runs once per invocation unless another JVM writes the key meanwhile, and Spring's
 * {@code @Cacheable(sync = true)}, which is {@code Cache.invoke}, calls its method once for concurrent
 * callers.
 *
 * <p>Keys share a fixed set of reentrant locks by hash, so memory does not grow with the keys; unrelated
 * keys rarely wait for each other. A processor that invokes the cache on another key may wait for a
 * lock another thread's processor holds while that one waits for its lock: processors, loaders and writers
 * must not call the cache (JSR-107 advises the same). A wait is bounded, so such a cycle, or a holder that
 * hangs, ends in an exception rather than a hang.
 */
public final class KeyLocks {

  private static final int STRIPES = 1024;

  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  /** Creates the locks. */
  public KeyLocks() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /**
   * Runs {@code action} holding the lock of {@code key}, waiting for it at most {@code wait}.
   *
   * @param timedOut the exception to throw when another thread held the lock all that time
   * @throws CacheException if interrupted while waiting
   */
  public <T> T callLocked(Object key, Duration wait, Supplier<? extends RuntimeException> timedOut,
      Supplier<T> action) {
    ReentrantLock lock = locks[stripe(key.hashCode())];
    try {
      if (!lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw timedOut.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("interrupted while waiting for another thread's operation on the same key", e);
    }
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  private static int stripe(int hash) {
    // Spread the high bits, as HashMap does: many key types differ only there.
    return (hash ^ (hash >>> 16)) & (STRIPES - 1);
  }
}
