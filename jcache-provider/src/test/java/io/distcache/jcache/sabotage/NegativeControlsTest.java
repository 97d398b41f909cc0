package io.distcache.jcache.sabotage;

import static io.distcache.protocol.sabotage.Sabotage.ACCEPT_EVERY_FILL;
import static io.distcache.protocol.sabotage.Sabotage.BREAKER_NEVER_CLOSES;
import static io.distcache.protocol.sabotage.Sabotage.DROP_CHANGE_RECORDS;
import static io.distcache.protocol.sabotage.Sabotage.FILL_DURING_REPLAY;
import static io.distcache.protocol.sabotage.Sabotage.IGNORE_DATA_LOSS;
import static io.distcache.protocol.sabotage.Sabotage.IGNORE_LOG_GAPS;
import static io.distcache.protocol.sabotage.Sabotage.SNAPSHOT_RESUMES_AT_LOG_END;
import static io.distcache.protocol.sabotage.Sabotage.TRACKING_NEVER_REENABLED;
import static io.distcache.protocol.sabotage.Sabotage.TRUST_OUTDATED_REPLICA_ANSWERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.protocol.sabotage.Sabotage;
import io.distcache.testkit.GuardedTests;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The provider's coherence tests with the mechanism each one guards broken: every one must fail, or
 * it could not fail at all. Runs in its own Surefire execution, the only one started with
 * {@value Sabotage#PROPERTY} (docs/testing.md, "Negative controls").
 */
class NegativeControlsTest {

  private static final String TESTS = "io.distcache.jcache.";

  static Stream<Arguments> controls() {
    return Stream.of(
        control(DROP_CHANGE_RECORDS, "it.CrossNodeVisibilityTest", "putOnOneManagerReplacesTheNearCopyOfAnother"),
        control(IGNORE_LOG_GAPS, "coherence.ChangeLogFollowerTest", "aConnectedFollowerLeftBehindByATrimFlushes"),
        control(IGNORE_LOG_GAPS, "coherence.ChangeLogFollowerTest", "aChangeLogDeletedBetweenTwoReadsFlushes"),
        control(IGNORE_LOG_GAPS, "coherence.ChangeLogFollowerTest",
            "aQuietLogTrimmedPastItsLastRecordWhileAnotherLogHeldTheFollowerFlushes"),
        control(IGNORE_LOG_GAPS, "coherence.ChangeLogFollowerTest", "aTrimWhileTheFollowerWaitsInItsReadFlushes"),
        // A failover or restart that lost data also replaced the change log: the gap check notices as well.
        control(List.of(IGNORE_DATA_LOSS, IGNORE_LOG_GAPS), "it.FailoverDataLossTest",
            "nearCopiesAtVersionsLostInAFailoverAreDropped"),
        control(List.of(IGNORE_DATA_LOSS, IGNORE_LOG_GAPS), "it.DataLossReplicaTest",
            "afterAGenerationChangeReadsStayOnTheMasterUntilTheReplicaHasTheNewGeneration"),
        control(ACCEPT_EVERY_FILL, "near.NearCacheTest", "anInvalidationLeavesAMarkerThatRefusesOlderFills"),
        control(ACCEPT_EVERY_FILL, "near.NearCacheTest", "aTrackingInvalidationRefusesFillsOfReadsThatBeganBeforeIt"),
        control(ACCEPT_EVERY_FILL, "near.NearCacheTest", "aMissReadBeforeTheRecordOfAWriteArrivedIsRefused"),
        // The preload checks both: a value older than a record already applied is neither offered nor admitted.
        control(List.of(ACCEPT_EVERY_FILL, TRUST_OUTDATED_REPLICA_ANSWERS), "NearPreloaderTest",
            "writesBetweenAPagesReadAndItsFillAndOnPagesNotReadYetAreNotLost"),
        // After a client-tracking invalidation, the fill's rule admits any answer read since: only the check fails.
        control(TRUST_OUTDATED_REPLICA_ANSWERS, "NearPreloaderTest",
            "aPageReadFromATrailingReplicaAfterTrackingInvalidationsFillsNoneOfTheOldValues"),
        control(FILL_DURING_REPLAY, "it.CrossNodeVisibilityTest",
            "aCacheCreatedBehindABusyChangeLogSeesTheOtherNodesChangesAtOnce"),
        control(FILL_DURING_REPLAY, "it.CrossNodeVisibilityTest",
            "aCacheCreatedWhileRedisWasDownSeesTheOtherNodesChangesAtOnceWhenItIsBack"),
        control(SNAPSHOT_RESUMES_AT_LOG_END, "it.SnapshotTest",
            "aManagerStartedWhileRedisIsDownServesTheSnapshotAndHoldsNoStaleEntryOnceRedisAnswers"),
        control(IGNORE_LOG_GAPS, "it.SnapshotTest", "aSnapshotOlderThanTheLogsReachIsFlushedOnceRedisAnswersNotServedStale"),
        control(TRUST_OUTDATED_REPLICA_ANSWERS, "it.ReplicaLagTest",
            "aManagerNeverReadsAVersionOlderThanARecordItReceived"),
        control(TRUST_OUTDATED_REPLICA_ANSWERS, "it.ReplicaLagTest", "aManagerNeverReadsBackWhatItRemoved"),
        control(TRUST_OUTDATED_REPLICA_ANSWERS, "coherence.TrackingReplicaLagTest",
            "aKeyHeldNearIsNotReadBackFromTheLaggingReplica"),
        control(TRUST_OUTDATED_REPLICA_ANSWERS, "coherence.TrackingReplicaLagTest",
            "aKeyNotHeldNearWhenItsInvalidationArrivedIsNotCachedFromTheLaggingReplica"),
        control(BREAKER_NEVER_CLOSES, "redis.CircuitBreakerTest",
            "letsOneProbeThroughAfterTheRetryIntervalAndClosesOnSuccess"),
        control(TRACKING_NEVER_REENABLED, "coherence.TrackingModeTest",
            "trackingIsReEnabledAfterItsConnectionIsKilled"));
  }

  @ParameterizedTest(name = "{0} makes {1}.{2} fail")
  @MethodSource("controls")
  void theGuardedTestFailsWithoutItsMechanism(List<Sabotage> sabotage, String test, String method) {
    List<Sabotage.Activation> activations = sabotage.stream().map(Sabotage::activate).toList();
    GuardedTests.Outcome outcome;
    try {
      outcome = GuardedTests.run(TESTS + test, method);
    } finally {
      activations.forEach(Sabotage.Activation::close);
    }
    System.out.println(sabotage + ": " + outcome.verdict());
    assertThat(outcome.failedAnAssertion()).as("%s with %s must fail an assertion: a test that passes with its"
        + " mechanism broken guards nothing%n%s",
        outcome.test(), sabotage, outcome.verdict()).isTrue();
  }

  @Test
  void aSwitchIsOffUntilActivatedAndOffAgainAfterwards() {
    assertThat(DROP_CHANGE_RECORDS.isActive()).isFalse();
    try (Sabotage.Activation on = DROP_CHANGE_RECORDS.activate()) {
      assertThat(DROP_CHANGE_RECORDS.isActive()).isTrue();
      assertThat(IGNORE_LOG_GAPS.isActive()).as("the other switches").isFalse();
    }
    assertThat(DROP_CHANGE_RECORDS.isActive()).isFalse();
  }

  @Test
  void anUnknownTestIsAnErrorNotAPass() {
    assertThatThrownBy(() -> GuardedTests.run(TESTS + "it.CrossNodeVisibilityTest", "noSuchTest"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noSuchTest");
  }

  private static Arguments control(Sabotage sabotage, String test, String method) {
    return control(List.of(sabotage), test, method);
  }

  private static Arguments control(List<Sabotage> sabotage, String test, String method) {
    return Arguments.of(sabotage, test, method);
  }
}
