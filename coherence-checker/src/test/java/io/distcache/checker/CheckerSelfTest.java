package io.distcache.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The checker end to end on a healthy master and replica, and with a stale near entry planted on
 * purpose: it must pass the first and catch the second (a checker that cannot fail proves nothing).
 */
class CheckerSelfTest {

  @Test
  void healthyRunPassesAndMeasuresPropagation() {
    try (RedisTopology topology = RedisTopology.start(1);
        CoherenceChecker checker = new CoherenceChecker(TestOptions.faults(), topology.managerProperties())) {
      checker.start();
      FaultInjectionTest.sleep(Duration.ofSeconds(2));
      CheckerReport report = checker.finish(Duration.ofMillis(500));
      System.out.println(report.format());
      FaultInjectionTest.assertRepaired(report);
      assertThat(report.tally().steadyPropagation().count()).isPositive();
    }
  }

  @Test
  void plantedStaleNearEntryIsReported() {
    try (RedisTopology topology = RedisTopology.start(0);
        CoherenceChecker checker = new CoherenceChecker(TestOptions.faults(), topology.managerProperties())) {
      // A near entry claiming a version no write will ever reach: invalidations cannot drop it.
      checker.edge(1).nearCache().fill(checker.key(3), 0L, Long.MAX_VALUE - 1, -1, 8, checker.edge(1).nearCache().ticket(),
          checker.edge(1).layout());
      checker.start();
      FaultInjectionTest.sleep(Duration.ofSeconds(1));
      CheckerReport report = checker.finish(Duration.ofMillis(500));
      assertThat(report.passed()).isFalse();
      assertThat(report.tally().violations()).isPositive();
      // The planted entry is reported; any other violation is the machine's noise the suites tolerate (a read
      // a few microseconds past the bound while the JIT warms up), so it must stay below their ceiling.
      Predicate<Violation> planted = violation -> violation.edge() == 1 && violation.key().equals(checker.key(3))
          && violation.returned() == 0;
      assertThat(report.tally().samples()).anyMatch(planted);
      assertThat(report.tally().samples()).filteredOn(planted.negate()).allSatisfy(violation ->
          assertThat(Duration.ofNanos(violation.lagNanos())).isLessThan(TestOptions.CEILING));
      assertThat(report.staleNearEntries()).singleElement().asString().startsWith("edge 1 near k3 = v0");
    }
  }
}
