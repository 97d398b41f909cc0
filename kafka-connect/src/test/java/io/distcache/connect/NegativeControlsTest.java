package io.distcache.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.protocol.sabotage.Sabotage;
import io.distcache.testkit.GuardedTests;
import org.junit.jupiter.api.Test;

/**
 * The connector's fence test with the per-partition owner fence broken: it must fail, or it could not fail at
 * all. Runs in its own Surefire execution, started with {@value Sabotage#PROPERTY} (docs/testing.md, "Negative
 * controls").
 */
class NegativeControlsTest {

  @Test
  void aTaskThatIgnoresPartitionOwnersFailsTheTaskTest() {
    GuardedTests.Outcome outcome;
    try (Sabotage.Activation on = Sabotage.IGNORE_PARTITION_OWNERS.activate()) {
      outcome = GuardedTests.run(DistcacheSinkTaskTest.class,
          "aTaskThatLostAPartitionWritesNothingOfItAndCommitsOnlyWhatRedisStored");
    }
    System.out.println(Sabotage.IGNORE_PARTITION_OWNERS + ": " + outcome.verdict());
    assertThat(outcome.failedAnAssertion()).as("%s with %s must fail an assertion: a test that passes with its"
        + " mechanism broken guards nothing%n%s", outcome.test(), Sabotage.IGNORE_PARTITION_OWNERS,
        outcome.verdict()).isTrue();
  }
}
