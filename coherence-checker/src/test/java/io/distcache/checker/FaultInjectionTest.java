package io.distcache.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.DistCacheManager;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults with real processes while the coherence checker runs (2 edges, a writer, a master with
 * one replica). Each test asserts that, outside the fault and its repair grace, no read was staler
 * than the bound; that no near entry was still stale after repair, the quiescent keys' included (written
 * once after or during the fault, never again); that writes were acknowledged and reached every edge after
 * the last fault window; that calls failed only inside fault windows and only in the expected ways; and
 * that no call blocked longer than the command timeout. {@code NegativeControlsTest} breaks the mechanism
 * behind each test and requires it to fail.
 */
class FaultInjectionTest {

  /** How long a killed or paused server stays down, and a DEBUG SLEEP lasts. */
  private static final Duration OUTAGE = Duration.ofSeconds(1);
  /** When the misses of {@link #missingWhile} are read: well inside the outage, before the heartbeat reacts. */
  private static final Duration MISS_AFTER_FAULT_BEGINS = Duration.ofMillis(50);
  private static final Duration STEADY = Duration.ofSeconds(1);
  /** What calls fail with while Redis does not answer in time: the breaker's fast failure. */
  static final String UNREACHABLE = "RedisUnavailableException";

  private RedisTopology topology;
  private CoherenceChecker checker;
  private FaultInjector faults;

  @BeforeEach
  void start() {
    topology = RedisTopology.start(1);
    WarmJvm.ensure(topology);
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
  void steadyStateWithoutFaults() {
    assertRepaired(runAround(() -> sleep(STEADY)));
  }

  @Test
  void replicaKilledAndRestarted() {
    startReadingFromTheReplica(Duration.ofSeconds(3));
    assertRepaired(runAround(() -> {
      readFromTheReplica();
      faults.killReplica();
    }), UNREACHABLE);
  }

  @Test
  void replicaLagsWhileStillAnsweringReads() {
    startReadingFromTheReplica(Duration.ofSeconds(3));
    // CLIENT PAUSE WRITE on the replica: it applies no replication stream for 2 s but keeps answering
    // with its old data, so edges that already know newer versions must not go back to it.
    CheckerReport report = runAround(() -> {
      readFromTheReplica();
      faults.replicaLag(Duration.ofSeconds(2));
    });
    assertRepaired(report);
    assertThat(report.tally().faults()).singleElement().asString().contains("replica lag");
    // The window excuses nothing here: an answer older than a record the edge received is read again from
    // the master, so reads inside it are held to the bound as reads outside faults are (99.9 % within it, on top
    // of the platform's pauses).
    long readsInside = report.tally().reads() - report.tally().readsOutsideFaults();
    assertThat(report.tally().toleratedBeyondAllowance()).as("stale reads inside the lag window, of %d%n%s",
        readsInside, report.format()).isLessThanOrEqualTo((long) ((1 - TestOptions.BOUND_QUANTILE) * readsInside));
  }

  @Test
  void replicaPaused() {
    startReadingFromTheReplica(Duration.ofSeconds(3));
    assertRepaired(runAround(() -> {
      readFromTheReplica();
      missingWhile(faults::pauseReplica);
    }), UNREACHABLE);
  }

  @Test
  void masterKilledAndRestartedEmpty() {
    ageNamespace();
    assertRepaired(runAround(faults::killMaster), UNREACHABLE);
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
    startReadingFromTheReplica(detection);
    assertRepaired(runAround(() -> {
      readFromTheReplica();
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
        if (i == 0) {
          whileFollowersAreCutOff(this::writeQuiescentKeys);
        }
        sleep(Duration.ofMillis(300));
      }
    }));
  }

  @Test
  void allClientConnectionsKilled() {
    assertRepaired(runAround(() -> {
      faults.killAllClients();
      // The writer reconnects too: keep the followers cut off until the quiescent writes are acknowledged.
      whileFollowersAreCutOff(this::writeQuiescentKeys);
    }), UNREACHABLE);
  }

  @Test
  void flushAll() {
    ageNamespace();
    assertRepaired(runAround(faults::flushAll));
  }

  @Test
  void debugSleepOnMaster() {
    assertRepaired(runAround(() -> faults.debugSleep(topology.master())), UNREACHABLE);
  }

  @Test
  void debugSleepOnReplica() {
    startReadingFromTheReplica(Duration.ofSeconds(3));
    assertRepaired(runAround(() -> {
      readFromTheReplica();
      missingWhile(() -> faults.debugSleep(topology.replicas().get(0)));
    }), UNREACHABLE);
  }

  @Test
  void changeLogTrimmedWhileFollowersAreCutOff() {
    // The followers lose their connections and, while they reconnect, the writer goes on and the
    // log is trimmed past the ids they had read.
    assertRepaired(runAround(() -> {
      whileFollowersAreCutOff(() -> {
        writeQuiescentKeys();
        faults.trimChangeLog();
      });
    }));
  }

  private CheckerReport runAround(Runnable fault) {
    return runAround(checker, fault);
  }

  private void writeQuiescentKeys() {
    writeQuiescentKeys(checker);
  }

  /**
   * Runs {@code fault} while every edge, just after it began, reads a key no near cache holds: those misses meet
   * the replica standing still (the heartbeat moves reads to the master only a second or more later), and must
   * fail after the command timeout rather than wait for the replica.
   */
  private void missingWhile(Runnable fault) {
    List<Thread> misses = new ArrayList<>();
    for (int edge = 0; edge < checker.options().edges(); edge++) {
      int reader = edge;
      Thread miss = new Thread(() -> {
        sleep(MISS_AFTER_FAULT_BEGINS);
        checker.readAbsentKey(reader);
      }, "miss-" + edge);
      miss.start();
      misses.add(miss);
    }
    try {
      fault.run();
    } finally {
      misses.forEach(FaultInjectionTest::join);
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until the edges' misses go to the replica: a manager reads from the master until its heartbeat
   * shows the replica current (about two seconds), and a replica fault before that would test nothing.
   * The replica tests read with {@code read-from=replica}, see {@link #startReadingFromTheReplica(Duration)}.
   */
  private void readFromTheReplica() {
    // New managers read the master until the replica's heartbeat shows it caught up; a GET on the replica alone
    // proves nothing (the lag monitor's own heartbeat read is one).
    await().atMost(Duration.ofSeconds(10)).until(() -> IntStream.range(0, checker.options().edges())
        .noneMatch(edge -> checker.edge(edge).getCacheManager().unwrap(DistCacheManager.class).replicaReadsOnMaster()));
    RedisServer replica = topology.replicas().get(0);
    replica.resetStats();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(replica.commandCalls())
        .as("the replica serves the edges' misses before the fault").containsKey("get"));
  }

  /**
   * Runs {@code body} while a thread keeps killing the change-log followers' connections (every follower's
   * blocking read is killed within its first 50 ms), so that every follower reads what the body wrote only
   * after it reconnected.
   */
  private void whileFollowersAreCutOff(Runnable body) {
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicReference<RuntimeException> killerFailure = new AtomicReference<>();
    Thread killer = new Thread(() -> {
      try {
        while (writing.get()) {
          topology.servers().forEach(server -> FaultInjector.killClients(server, "cmd=xread"));
          Thread.sleep(5);
        }
      } catch (RuntimeException e) {
        killerFailure.set(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "follower-killer");
    killer.setDaemon(true);
    try (Ledger.FaultWindow window = checker.fault("followers kept cut off")) {
      killer.start();
      // A follower's blocking read lasts 200 ms and its reconnect waits 250 ms: after 50 ms every one is cut off.
      sleep(Duration.ofMillis(50));
      body.run();
    } finally {
      writing.set(false);
      try {
        killer.join(Duration.ofSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // No kill count is asserted: after CLIENT KILL TYPE normal the followers are already away and none is
    // inside XREAD to kill; the negative controls show the cut-off matters.
    if (killerFailure.get() != null) {
      throw killerFailure.get();
    }
  }

  static void writeQuiescentKeys(CoherenceChecker checker) {
    assertThat(checker.writeQuiescentKeys()).as("quiescent keys written").isEqualTo(checker.options().quiescentKeys());
  }

  /**
   * Runs the checker in steady state, then the fault, then writes the quiescent keys unless the fault
   * did, then runs for the repair grace and steady state again. The writes then stop, and after the
   * ceiling every near entry must equal Redis: the repair grace has passed, and no read outside faults
   * may be staler than the ceiling.
   */
  static CheckerReport runAround(CoherenceChecker checker, Runnable fault) {
    checker.start();
    sleep(STEADY);
    fault.run();
    if (!checker.quiescentKeysWritten()) {
      writeQuiescentKeys(checker);
    }
    sleep(checker.options().repairGrace().plus(STEADY));
    CheckerReport report = checker.finish(TestOptions.CEILING);
    System.out.println(report.format());
    return report;
  }

  /**
   * The verdict of a fault test: see the class comment.
   *
   * @param failuresDuringFaults the exception types calls may fail with inside the fault windows
   */
  static void assertRepaired(CheckerReport report, String... failuresDuringFaults) {
    Ledger.Tally tally = report.tally();
    assertThat(tally.reads()).as("reads").isPositive();
    assertThat(tally.writes()).as("acknowledged writes").isPositive();
    assertThat(tally.afterFaults().writes()).as("writes acknowledged after the last fault window%n%s",
        report.format()).isPositive();
    assertThat(tally.afterFaults().leastPropagated()).as("writes after the last fault window that every edge"
        + " read%n%s", report.format()).isPositive();
    assertThat(tally.errors().keySet()).as("exception types calls failed with%n%s", report.format())
        .isSubsetOf(failuresDuringFaults);
    assertThat(tally.afterFaults().errorsOutsideFaults()).as("calls failed outside the fault windows%n%s",
        report.format()).isEmpty();
    assertWithinBound(report);
    assertThat(report.tally().regressions()).as("reads older than one the same edge had read, faults or not%n%s",
        report.format()).isZero();
    assertThat(report.staleNearEntries()).as("near entries stale after repair%n%s", report.format()).isEmpty();
    assertThat(report.nearEntriesChecked()).as("near entries compared with Redis").isPositive();
    assertThat(report.tally().blockedCalls()).as("calls blocked beyond the command timeout%n%s", report.format())
        .isZero();
  }

  /**
   * The staleness bound as the suites hold it (see {@link TestOptions#bound()}): 99.9 % of the reads outside
   * fault windows within the bound on top of the platform's pauses in the same run, and none staler than the
   * ceiling.
   */
  static void assertWithinBound(CheckerReport report) {
    Ledger.Tally tally = report.tally();
    assertThat(tally.withinBound(TestOptions.BOUND_QUANTILE)).as("99.9 %% of the reads outside faults within the"
        + " bound + the platform's pauses (%s): %d stale beyond it of %d%n%s",
        Latencies.Summary.millis(tally.allowanceNanos()), tally.violationsBeyondAllowance(),
        tally.readsOutsideFaults(), report.format()).isTrue();
    assertThat(Duration.ofNanos(report.tally().longestStalenessNanos())).as("the stalest read outside faults%n%s",
        report.format()).isLessThanOrEqualTo(TestOptions.CEILING);
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

  /**
   * Replaces the checker by one whose edges read {@code read-from=replica}: with the default
   * {@code replicaPreferred} a manager may go on reading the master for many seconds (until Lettuce
   * learns of the replica), and a replica fault would then test nothing.
   */
  private void startReadingFromTheReplica(Duration repairGrace) {
    checker.close();
    Properties readReplica = topology.managerProperties();
    readReplica.setProperty("defaults.read-from", "replica");
    checker = new CoherenceChecker(TestOptions.faults().withRepairGrace(repairGrace), readReplica);
    faults = new FaultInjector(topology, checker, OUTAGE);
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
