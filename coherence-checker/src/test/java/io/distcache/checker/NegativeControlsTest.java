package io.distcache.checker;

import static io.distcache.protocol.sabotage.Sabotage.ACCEPT_EVERY_FILL;
import static io.distcache.protocol.sabotage.Sabotage.BREAKER_NEVER_CLOSES;
import static io.distcache.protocol.sabotage.Sabotage.DROP_CHANGE_RECORDS;
import static io.distcache.protocol.sabotage.Sabotage.FOLLOWER_GIVES_UP;
import static io.distcache.protocol.sabotage.Sabotage.IGNORE_COMMAND_TIMEOUT;
import static io.distcache.protocol.sabotage.Sabotage.IGNORE_DATA_LOSS;
import static io.distcache.protocol.sabotage.Sabotage.IGNORE_LOG_GAPS;
import static io.distcache.protocol.sabotage.Sabotage.IGNORE_REPLICA_HEARTBEAT;
import static io.distcache.protocol.sabotage.Sabotage.RESUME_AT_LOG_END;
import static io.distcache.protocol.sabotage.Sabotage.TRUST_OUTDATED_REPLICA_ANSWERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.protocol.sabotage.Sabotage;
import io.distcache.testkit.GuardedTests;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The coherence, fault and fill-race tests with the mechanism each one guards broken: every one must
 * fail, or it could not fail at all. Runs in its own Surefire execution, the only one allowed to turn
 * {@link Sabotage} switches on (docs/testing.md, "Negative controls").
 */
class NegativeControlsTest {

  static Stream<Arguments> controls() {
    return Stream.of(
        control(FaultInjectionTest.class, "steadyStateWithoutFaults", DROP_CHANGE_RECORDS),
        control(FaultInjectionTest.class, "followerConnectionKilledDuringWriteBurst", RESUME_AT_LOG_END),
        control(FaultInjectionTest.class, "allClientConnectionsKilled", RESUME_AT_LOG_END),
        control(FaultInjectionTest.class, "changeLogTrimmedWhileFollowersAreCutOff", IGNORE_LOG_GAPS),
        // A lost namespace also loses its change log: the gap check and the generation check both notice.
        control(FaultInjectionTest.class, "flushAll", IGNORE_DATA_LOSS, IGNORE_LOG_GAPS),
        control(FaultInjectionTest.class, "masterKilledAndRestartedEmpty", IGNORE_DATA_LOSS, IGNORE_LOG_GAPS),
        control(FaultInjectionTest.class, "replicaLagsWhileStillAnsweringReads", TRUST_OUTDATED_REPLICA_ANSWERS,
            IGNORE_REPLICA_HEARTBEAT),
        // A replica's old answers are caught twice: by the heartbeat, and by the versions the edge knows.
        control(FaultInjectionTest.class, "replicaThatLostItsMasterIsDetected", IGNORE_REPLICA_HEARTBEAT,
            TRUST_OUTDATED_REPLICA_ANSWERS),
        control(FaultInjectionTest.class, "replicaPaused", IGNORE_COMMAND_TIMEOUT),
        control(FaultInjectionTest.class, "debugSleepOnMaster", BREAKER_NEVER_CLOSES),
        control(FaultInjectionTest.class, "debugSleepOnReplica", IGNORE_COMMAND_TIMEOUT),
        control(NearCacheRepairTest.class, "disconnectCoveredByTheChangeLogDropsOnlyTheChangedKeys",
            RESUME_AT_LOG_END),
        control(NearCacheRepairTest.class, "changeLogTrimmedPastTheLastReadIdFlushesTheNamespace", IGNORE_LOG_GAPS),
        control(NearCacheRepairTest.class, "flushAllWhileConnectedFlushesTheNamespace", IGNORE_DATA_LOSS,
            IGNORE_LOG_GAPS),
        control(NearCacheRepairTest.class, "flushAllWhileCutOffFlushesTheNamespace", IGNORE_DATA_LOSS,
            IGNORE_LOG_GAPS),
        control(ClusterCoherenceTest.class, "healthyClusterHasNoStaleReads", DROP_CHANGE_RECORDS),
        control(ClusterCoherenceTest.class, "changeLogMasterFailsOver", FOLLOWER_GIVES_UP),
        control(ClusterCoherenceTest.class, "entryMasterFailsOver", BREAKER_NEVER_CLOSES),
        control(SentinelFailoverTest.class, "edgesStayCoherentThroughAFailover", BREAKER_NEVER_CLOSES),
        // The fill marker is the second line behind the version check of replica answers.
        control(FillRaceTest.class, "endsWithZeroStaleNearEntries", ACCEPT_EVERY_FILL, TRUST_OUTDATED_REPLICA_ANSWERS));
  }

  @ParameterizedTest(name = "{0} makes {1}.{2} fail")
  @MethodSource("controls")
  void theGuardedTestFailsWithoutItsMechanism(List<Sabotage> broken, Class<?> test, String method) {
    List<Sabotage.Activation> activations = broken.stream().map(Sabotage::activate).toList();
    GuardedTests.Outcome outcome;
    try {
      outcome = GuardedTests.run(test, method);
    } finally {
      activations.forEach(Sabotage.Activation::close);
    }
    System.out.println(broken + ": " + outcome.verdict());
    assertThat(outcome.failedAnAssertion()).as("%s with %s must fail an assertion: a test that passes with its"
        + " mechanism broken guards nothing%n%s", outcome.test(), broken, outcome.verdict()).isTrue();
  }

  private static Arguments control(Class<?> test, String method, Sabotage... broken) {
    return Arguments.of(List.of(broken), test, method);
  }
}
