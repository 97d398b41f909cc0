package io.distcache.jcache.coherence;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon thread of a follower: runs one step after another until closed, and lets the
 * step wait without holding up {@link #close()}.
 *
 * <p>A step that throws anything, {@link Error}s included, is logged and counted, and the loop goes on
 * after a short pause: a follower that died silently would leave near caches stale for good.
 */
final class BackgroundLoop {

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoop.class);
  private static final Duration RESTART_DELAY = Duration.ofMillis(250);

  private final Thread thread;
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean running = true;

  /**
   * Prepares a daemon thread named {@code name} that runs {@code step} until closed; {@link #start()}
   * starts it (only once the owner is fully constructed, since {@code step} uses the owner's fields).
   */
  BackgroundLoop(String name, Runnable step) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(step, "step");
    this.thread = new Thread(() -> {
      while (running) {
        runGuarded(step, name);
      }
    }, name);
    thread.setDaemon(true);
  }

  private void runGuarded(Runnable step, String name) {
    try {
      step.run();
    } catch (Throwable failure) {
      if (!running) {
        return;
      }
      long count = failures.incrementAndGet();
      // With its stack trace the 1st, 2nd, 4th, 8th... time: a failure that repeats must not flood the log.
      if (Long.bitCount(count) == 1) {
        LOG.error("{} failed ({} times so far); restarting it in {} ms", name, count, RESTART_DELAY.toMillis(),
            failure);
      } else {
        LOG.debug("{} failed again ({} times so far): {}", name, count, failure.toString());
      }
      pause(RESTART_DELAY);
    }
  }

  /** Starts the thread. */
  void start() {
    thread.start();
  }

  /** True until {@link #close()}. */
  boolean isRunning() {
    return running;
  }

  /** Whether the thread is alive: started and not yet closed. */
  boolean isAlive() {
    return running && thread.isAlive();
  }

  /** How many times a step failed with something its owner did not handle. */
  long failures() {
    return failures.get();
  }

  /** Waits up to {@code delay}, or less if {@link #wake()} is called or the loop closes. */
  void pause(Duration delay) {
    LockSupport.parkNanos(this, delay.toNanos());
  }

  /** Ends a {@link #pause} at once. */
  void wake() {
    LockSupport.unpark(thread);
  }

  /** Stops the loop and waits (briefly) for the current step to end. */
  void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
