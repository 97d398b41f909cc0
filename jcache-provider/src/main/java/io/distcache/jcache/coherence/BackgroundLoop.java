package io.distcache.jcache.coherence;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The daemon thread of a follower: runs one step after another until closed, and lets the
 * step wait without holding up {@link #close()}.
 */
final class BackgroundLoop {

  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Prepares a daemon thread named {@code name} that runs {@code step} until closed; {@link #start()}
   * starts it (only once the owner is fully constructed, since {@code step} uses the owner's fields).
   */
  BackgroundLoop(String name, Runnable step) {
    this.thread = new Thread(() -> {
      while (running) {
        step.run();
      }
    }, name);
    thread.setDaemon(true);
  }

  /** Starts the thread. */
  void start() {
    thread.start();
  }

  /** True until {@link #close()}. */
  boolean isRunning() {
    return running;
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
