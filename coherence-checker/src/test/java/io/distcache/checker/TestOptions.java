package io.distcache.checker;

import java.time.Duration;
import java.util.Map;

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
   * 2 edges, 16 hot keys and 8 quiescent ones, 1000 writes/s, readers paced at
   * {@link CheckerOptions#DEFAULT_READ_RATE} per edge, a 500 ms command timeout and a 3 s repair grace, with the
   * staleness bound of {@link #bound()}. Paced, because unpaced readers spin on near hits: with 2 to 4 of them on
   * 2 cores the follower waits for a core, and a run of 2026-12-06 here had 0.12 % of the reads stale beyond 5 ms
   * plus the host's pauses (FillRaceTest, 4 unpaced readers). At 20,000 reads/s per edge every hot key is still
   * read about once a millisecond per edge, between writes to it every 16 ms.
   */
  static CheckerOptions faults() {
    return CheckerOptions.defaults().withKeys(16).withQuiescentKeys(8).withWriteRate(1000)
        .withReadRate(CheckerOptions.DEFAULT_READ_RATE).withBound(bound());
  }

  /** {@link #MEASURED_BOUND}, or {@code -Dchecker.bound}. */
  static Duration bound() {
    String value = System.getProperty("checker.bound");
    return value == null ? MEASURED_BOUND : CheckerMain.duration(Map.of("bound", value), "bound", MEASURED_BOUND);
  }
}
