package io.distcache.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Signals to, and waits for, the server processes the testkit starts. */
final class ProcessControl {

  private ProcessControl() {
  }

  /**
   * Sends a signal such as {@code STOP} or {@code CONT}: the JDK can only send SIGTERM and SIGKILL, so this goes
   * through kill(1).
   *
   * @param timeout how long kill(1) may take
   * @throws IllegalStateException when kill(1) fails or does not end in time
   */
  static void signal(String name, Process process, Duration timeout) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
          .redirectErrorStream(true)
          .redirectOutput(Redirect.DISCARD)
          .start();
      if (!kill.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run kill -" + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while signalling process " + process.pid(), e);
    }
  }

  /** Whether the process ended within {@code timeout}; {@code false} also when the wait was interrupted. */
  static boolean awaitExit(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
