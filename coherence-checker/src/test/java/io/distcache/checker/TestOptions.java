package io.distcache.checker;

import java.time.Duration;

/** Checker options shared by the fault suites, and the staleness bound they are held to. */
final class TestOptions {

  /**
   * The bound the suites hold 99.9 % of the reads outside fault windows to, on top of the platform's pauses
   * measured in the same run (a thread's wake-up delay exceeded during 0.1 % of the time). Measured on a quiet
   * 2-core machine: the 99.9th percentile of read staleness was at most 1 ms in every run of the suites, the
   * 99.99th at most 5 ms (docs/testing.md, "The coherence bound"). {@code -Dchecker.bound=50ms} overrides it.
   */
  static final Duration MEASURED_BOUND = Duration.ofMillis(5);
  /** The share of reads outside fault windows that must be within the bound. */
  static final double BOUND_QUANTILE = 0.999;
  /** No read outside fault windows may be staler than this, whatever the machine's scheduling does. */
  static final Duration CEILING = Duration.ofSeconds(1);

  private TestOptions() {
  }

  /**
   * 2 edges, 16 hot keys and 8 quiescent ones, 1000 writes/s, one unpaced reader per edge (it races the
   * invalidations; two spinning readers fit this machine's 2 cores, see {@code FillRaceTest} for more), a 500 ms
   * command timeout and a 3 s repair grace, with the staleness bound of {@link #bound()}.
   */
  static CheckerOptions faults() {
    return CheckerOptions.defaults().withKeys(16).withQuiescentKeys(8).withWriteRate(1000).withBound(bound());
  }

  /** {@link #MEASURED_BOUND}, or {@code -Dchecker.bound}. */
  static Duration bound() {
    String value = System.getProperty("checker.bound");
    return value == null ? MEASURED_BOUND : CheckerSettingsTable.BOUND.parse(value);
  }
}
