package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.producer.sink.SinkFenceTest;
import io.distcache.protocol.sabotage.Sabotage;
import io.distcache.testkit.GuardedTests;
import org.junit.jupiter.api.Test;

/**
 * The producer's exactness tests with the mechanism each one guards broken: every one must fail, or it
 * could not fail at all. Runs in its own Surefire execution, the only one started with
 * {@value Sabotage#PROPERTY}; the switch reaches the producer processes the tests start
 * (docs/testing.md, "Negative controls").
 */
class NegativeControlsTest {

  @Test
  void aProducerThatReplaysFromTheStartFailsTheKillAndRestartTest() {
    assertFails(Sabotage.REPLAY_FROM_START, KillAndRestartTest.class,
        "killedProducersRestartIntoTheExactCompactedState");
  }

  @Test
  void aGroupMemberThatIgnoresPartitionOwnersFailsTheFenceTest() {
    assertFails(Sabotage.IGNORE_PARTITION_OWNERS, SinkFenceTest.class,
        "aGroupMemberThatLostAPartitionWritesNothingOfItAgain");
  }

  private static void assertFails(Sabotage sabotage, Class<?> test, String method) {
    GuardedTests.Outcome outcome;
    try (Sabotage.Activation on = sabotage.activate()) {
      outcome = GuardedTests.run(test, method);
    }
    System.out.println(sabotage + ": " + outcome.verdict());
    assertThat(outcome.failedAnAssertion()).as("%s with %s must fail an assertion: a test that passes with its"
        + " mechanism broken guards nothing%n%s", outcome.test(), sabotage, outcome.verdict()).isTrue();
  }
}
