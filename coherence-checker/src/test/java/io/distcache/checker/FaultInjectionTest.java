package io.distcache.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults with real processes while the coherence checker runs (2 edges, a writer, a master with
 * one replica). Each test asserts that, outside the fault and its repair grace, no read was staler
 * than the bound, that no near entry was still stale after repair, and that no call blocked longer
 * than the command timeout.
 */
class FaultInjectionTest {

  /** How long a killed or paused server stays down, and a DEBUG SLEEP lasts. */
  private static final Duration OUTAGE = Duration.ofSeconds(1);
  private static final Duration STEADY = Duration.ofSeconds(1);

  private RedisTopology topology;
  private CoherenceChecker checker;
  private FaultInjector faults;

  @BeforeEach
  void start() {
    topology = RedisTopology.start(1);
    checker = new CoherenceChecker(TestOptions.faults(), topology.managerProperties());
    faults = new FaultInjector(topology, checker, OUTAGE);
  }

  @AfterEach
  void stop() {
    if (checker != null) {
      checker.close();
    }
    topology.close();
  }

  @Test
  void replicaKilledAndRestarted() {
    assertRepaired(runAround(faults::killReplica));
  }

  @Test
  void replicaLagsWhileStillAnsweringReads() {
    // CLIENT PAUSE WRITE on the replica: it applies no replication stream for 2 s but keeps answering
    // with its old data, so edges that already know newer versions must not go back to it.
    CheckerReport report = runAround(() -> faults.replicaLag(Duration.ofSeconds(2)));
    assertRepaired(report);
    assertThat(report.tally().faults()).singleElement().asString().contains("replica lag");
    // The window excuses nothing here: an answer older than a record the edge received is read again
    // from the master, so no read returns a version acknowledged more than the bound before it began.
    assertThat(report.tally().tolerated()).as("stale reads inside the lag window%n%s", report.format()).isZero();
  }

  @Test
  void replicaPaused() {
    assertRepaired(runAround(faults::pauseReplica));
  }

  @Test
  void masterKilledAndRestartedEmpty() {
    ageNamespace();
    assertRepaired(runAround(faults::killMaster));
  }

  @Test
  void replicaThatLostItsMasterIsDetected() {
    // The replica stays up and keeps serving its old data, but follows a master that does not
    // exist: only the heartbeat can tell. Stale reads are tolerated for the repair grace only,
    // and the replica stays frozen well beyond it.
    RedisServer replica = topology.replicas().get(0);
    // Detection takes up to outage.replica-max-lag (2 s) plus two 1 s heartbeat ticks (a probe is
    // judged one tick after it is sent); 1 s of slack on top.
    Duration detection = Duration.ofSeconds(5);
    Duration frozen = detection.multipliedBy(2);
    checker.close();
    Properties readReplica = topology.managerProperties();
    readReplica.setProperty("defaults.read-from", "replica");
    checker = new CoherenceChecker(TestOptions.faults().withRepairGrace(detection), readReplica);
    replica.resetStats();
    assertRepaired(runAround(() -> {
      // Managers read from the master until their first heartbeat shows the replica current.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(replica.commandCalls())
          .as("the replica serves the edges' misses before it freezes").containsKey("get"));
      try (Ledger.FaultWindow window = checker.fault("replica loses its master")) {
        replica.command("REPLICAOF", "127.0.0.1", Integer.toString(deadPort()));
      }
      sleep(frozen);
      try (Ledger.FaultWindow window = checker.fault("replica relinked")) {
        replica.command("REPLICAOF", "127.0.0.1", Integer.toString(topology.master().port()));
        replica.awaitSync();
      }
    }));
  }

  @Test
  void followerConnectionKilledDuringWriteBurst() {
    checker.close();
    checker = new CoherenceChecker(TestOptions.faults().withWriteRate(0), topology.managerProperties());
    faults = new FaultInjector(topology, checker, OUTAGE);
    assertRepaired(runAround(() -> {
      for (int i = 0; i < 5; i++) {
        // Killed followers reconnect after 250 ms; wait for them rather than kill nothing.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
            .until(() -> faults.killFollowerConnections() > 0);
        sleep(Duration.ofMillis(300));
      }
    }));
  }

  @Test
  void allClientConnectionsKilled() {
    assertRepaired(runAround(faults::killAllClients));
  }

  @Test
  void flushAll() {
    ageNamespace();
    assertRepaired(runAround(faults::flushAll));
  }

  @Test
  void debugSleepOnMaster() {
    assertRepaired(runAround(() -> faults.debugSleep(topology.master())));
  }

  @Test
  void debugSleepOnReplica() {
    assertRepaired(runAround(() -> faults.debugSleep(topology.replicas().get(0))));
  }

  @Test
  void changeLogTrimmedWhileFollowersAreCutOff() {
    // The followers lose their connections and, while they reconnect, the writer goes on and the
    // log is trimmed past the ids they had read.
    assertRepaired(runAround(() -> {
      faults.killFollowerConnections();
      for (int key = 0; key < checker.options().keys(); key++) {
        checker.writeOnce(key);
      }
      faults.trimChangeLog();
    }));
  }

  private CheckerReport runAround(Runnable fault) {
    return runAround(checker, fault);
  }

  /** Runs the checker in steady state, then the fault, then for the repair grace and steady state again. */
  static CheckerReport runAround(CoherenceChecker checker, Runnable fault) {
    checker.start();
    sleep(STEADY);
    fault.run();
    sleep(checker.options().repairGrace().plus(STEADY));
    CheckerReport report = checker.finish(checker.options().repairGrace());
    System.out.println(report.format());
    return report;
  }

  static void assertRepaired(CheckerReport report) {
    assertThat(report.tally().reads()).as("reads").isPositive();
    assertThat(report.tally().writes()).as("acknowledged writes").isPositive();
    assertThat(report.tally().violations()).as("stale reads beyond the bound outside faults%n%s", report.format())
        .isZero();
    assertThat(report.tally().regressions()).as("reads older than one the same edge had read, faults or not%n%s",
        report.format()).isZero();
    assertThat(report.staleNearEntries()).as("near entries stale after repair%n%s", report.format()).isEmpty();
    assertThat(report.nearEntriesChecked()).as("near entries compared with Redis").isPositive();
    assertThat(report.tally().blockedCalls()).as("calls blocked beyond the command timeout%n%s", report.format())
        .isZero();
  }

  /**
   * Makes the namespace look long-lived: its version counter far ahead of what the writes after a
   * data loss reach during a test, so near entries from before the loss cannot be outgrown by new
   * versions; only the generation check can drop them.
   */
  private void ageNamespace() {
    topology.master().command("INCRBY", namespace().sequenceKey(), "1000000000");
  }

  private Namespace namespace() {
    return Namespace.of(topology.keyPrefix(),
        Namespace.escape(checker.options().cacheName()));
  }

  private static int deadPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
