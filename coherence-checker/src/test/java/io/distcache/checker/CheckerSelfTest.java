package io.distcache.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
      assertThat(report.tally().samples()).allSatisfy(violation -> {
        assertThat(violation.edge()).isEqualTo(1);
        assertThat(violation.key()).isEqualTo(checker.key(3));
        assertThat(violation.returned()).isZero();
      });
      assertThat(report.staleNearEntries()).singleElement().asString().startsWith("edge 1 near k3 = v0");
    }
  }
}
