package io.distcache.checker;

import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaks a {@link RedisTopology} on purpose while a {@link CoherenceChecker} runs, opening a fault
 * window in the checker's ledger for each fault and recording data losses. Every method returns
 * once the fault is over (servers back, replicas in sync); the repair grace starts then.
 */
public final class FaultInjector {

  private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);
  /** What {@link #random(Random)} chooses from. */
  public static final List<String> FAULTS = List.of("kill-replica", "pause-replica", "kill-master",
      "pause-master", "client-kill-followers", "client-kill-all", "flushall", "debug-sleep-master",
      "debug-sleep-replica", "trim-change-log", "replica-lag");
  /** Shortest write pause of a {@link #replicaLag() replica lag}. */
  static final Duration REPLICA_LAG_MIN = Duration.ofMillis(1000);
  /** Longest write pause of a {@link #replicaLag() replica lag}. */
  static final Duration REPLICA_LAG_MAX = Duration.ofMillis(3000);

  private final RedisTopology topology;
  private final CoherenceChecker checker;
  private final Duration outage;
  private final Random random;

  /**
   * Creates an injector whose random fault durations (of {@link #replicaLag()}) come from an
   * unseeded random.
   *
   * @param topology the servers to break
   * @param checker the checker whose ledger records the faults
   * @param outage how long a killed or paused server stays down, and a {@code DEBUG SLEEP} lasts
   */
  public FaultInjector(RedisTopology topology, CoherenceChecker checker, Duration outage) {
    this(topology, checker, outage, new Random());
  }

  /**
   * Creates an injector.
   *
   * @param topology the servers to break
   * @param checker the checker whose ledger records the faults
   * @param outage how long a killed or paused server stays down, and a {@code DEBUG SLEEP} lasts
   * @param random where random fault durations (of {@link #replicaLag()}) come from; seed it to
   *     replay a sequence of faults
   */
  public FaultInjector(RedisTopology topology, CoherenceChecker checker, Duration outage, Random random) {
    this.topology = topology;
    this.checker = checker;
    this.outage = outage;
    this.random = random;
  }

  /** Kills the first replica with SIGKILL and restarts it (empty, then resynced) after the outage. */
  public void killReplica() {
    RedisServer replica = replica();
    try (Ledger.FaultWindow window = checker.fault("kill replica " + replica.port())) {
      replica.kill();
      sleep(outage);
      replica.restart();
      replica.awaitSync();
    }
  }

  /** Freezes the first replica with SIGSTOP for the outage, then lets it continue. */
  public void pauseReplica() {
    RedisServer replica = replica();
    try (Ledger.FaultWindow window = checker.fault("pause replica " + replica.port())) {
      replica.pause();
      sleep(outage);
      replica.resume();
      replica.awaitSync();
    }
  }

  /**
   * Kills the master; its replicas keep serving the old data and say nothing. After the outage the
   * master restarts empty (nothing is persisted), so the replicas resync to an empty dataset: the
   * ledger records a data loss.
   */
  public void killMaster() {
    RedisServer master = topology.master();
    try (Ledger.FaultWindow window = checker.fault("kill master " + master.port())) {
      master.kill();
      sleep(outage);
      checker.ledger().dataLost();
      master.restart();
      topology.awaitReplicasInSync();
    }
  }

  /** Freezes the master with SIGSTOP for the outage. */
  public void pauseMaster() {
    RedisServer master = topology.master();
    try (Ledger.FaultWindow window = checker.fault("pause master " + master.port())) {
      master.pause();
      sleep(outage);
      master.resume();
      topology.awaitReplicasInSync();
    }
  }

  /**
   * {@code CLIENT KILL} of every connection blocked in (or last running) {@code XREAD}: the
   * change-log followers, on every server.
   *
   * @return how many connections were killed
   */
  public int killFollowerConnections() {
    try (Ledger.FaultWindow window = checker.fault("client kill followers")) {
      int killed = 0;
      for (RedisServer server : topology.servers()) {
        killed += killClients(server, "cmd=xread");
      }
      LOG.info("killed {} follower connections", killed);
      return killed;
    }
  }

  /** {@code CLIENT KILL TYPE normal} on every server: every client connection drops. */
  public void killAllClients() {
    try (Ledger.FaultWindow window = checker.fault("client kill all")) {
      for (RedisServer server : topology.servers()) {
        server.command("CLIENT", "KILL", "TYPE", "normal");
      }
    }
  }

  /** {@code FLUSHALL} on the master: every key (and namespace generation) is gone. */
  public void flushAll() {
    try (Ledger.FaultWindow window = checker.fault("flushall")) {
      // Writes acknowledged until FLUSHALL returns may be wiped too: the loss lasts until then.
      try (Ledger.DataLoss loss = checker.ledger().dataLossBegins()) {
        topology.master().command("FLUSHALL");
      }
      topology.awaitReplicasInSync();
    }
  }

  /** {@code DEBUG SLEEP} on a server for the outage: it answers nothing meanwhile, like a slow network. */
  public void debugSleep(RedisServer server) {
    try (Ledger.FaultWindow window = checker.fault("debug sleep " + server.port())) {
      String seconds = String.format(Locale.ROOT, "%.3f", outage.toMillis() / 1000.0);
      server.command(outage.plusSeconds(5), "DEBUG", "SLEEP", seconds);
    }
  }

  /**
   * Makes the first replica lag behind its master while it keeps answering reads, for a pause
   * drawn from this injector's random between {@link #REPLICA_LAG_MIN} and {@link #REPLICA_LAG_MAX}
   * (inclusive, whole milliseconds); see {@link #replicaLag(Duration)}.
   *
   * @return the pause
   */
  public Duration replicaLag() {
    long spread = REPLICA_LAG_MAX.toMillis() - REPLICA_LAG_MIN.toMillis();
    Duration pause = REPLICA_LAG_MIN.plusMillis(random.nextInt((int) spread + 1));
    replicaLag(pause);
    return pause;
  }

  /**
   * {@code CLIENT PAUSE <ms> WRITE} on the first replica (not the master): while the pause lasts
   * the replica delays applying the replication stream but still answers reads ({@code GET}) with
   * its old data, so edges reading from it see versions older than the master has acknowledged.
   * The fault lasts the pause and until the replica has caught up; the repair grace follows.
   * Redis 6.2 and later know the {@code WRITE} mode.
   *
   * @param pause how long the replica's writes are paused
   */
  public void replicaLag(Duration pause) {
    RedisServer replica = replica();
    try (Ledger.FaultWindow window = checker.fault("replica lag " + replica.port() + " for " + pause.toMillis()
        + " ms")) {
      replica.command("CLIENT", "PAUSE", Long.toString(pause.toMillis()), "WRITE");
      sleep(pause);
      replica.awaitSync();
    }
  }

  /** {@code XTRIM MAXLEN 0} of the checker's change log on the master. */
  public void trimChangeLog() {
    try (Ledger.FaultWindow window = checker.fault("trim change log")) {
      topology.master().command("XTRIM", changeLogKey(), "MAXLEN", "0");
    }
  }

  /** The Redis key of the checker cache's change log. */
  public String changeLogKey() {
    return Namespace.of(topology.keyPrefix(), Namespace.escape(checker.options().cacheName())).logKey();
  }

  /**
   * Runs one fault chosen at random from {@link #FAULTS}.
   *
   * @return the name of the fault
   */
  public String random(Random random) {
    return inject(FAULTS.get(random.nextInt(FAULTS.size())));
  }

  /**
   * Runs one fault chosen at random from {@code choices}.
   *
   * @param choices names from {@link #FAULTS}
   * @return the name of the fault
   */
  public String random(Random random, List<String> choices) {
    return inject(choices.get(random.nextInt(choices.size())));
  }

  /**
   * Runs the named fault.
   *
   * @param fault a name from {@link #FAULTS}
   * @return the name
   * @throws IllegalArgumentException for an unknown name
   */
  public String inject(String fault) {
    LOG.info("injecting {}", fault);
    switch (fault) {
      case "kill-replica" -> killReplica();
      case "pause-replica" -> pauseReplica();
      case "kill-master" -> killMaster();
      case "pause-master" -> pauseMaster();
      case "client-kill-followers" -> killFollowerConnections();
      case "client-kill-all" -> killAllClients();
      case "flushall" -> flushAll();
      case "debug-sleep-master" -> debugSleep(topology.master());
      case "debug-sleep-replica" -> debugSleep(replica());
      case "trim-change-log" -> trimChangeLog();
      case "replica-lag" -> replicaLag();
      default -> throw new IllegalArgumentException("unknown fault '" + fault + "'; known: " + FAULTS);
    }
    return fault;
  }

  private RedisServer replica() {
    List<RedisServer> replicas = topology.replicas();
    if (replicas.isEmpty()) {
      throw new IllegalStateException("this fault needs a replica; the topology has none: " + topology);
    }
    return replicas.get(0);
  }

  /**
   * Kills every client of {@code server} whose {@code CLIENT LIST} line contains {@code marker}.
   *
   * @return how many were killed
   */
  public static int killClients(RedisServer server, String marker) {
    int killed = 0;
    for (String line : server.command("CLIENT", "LIST").split("\\R")) {
      if (line.contains(marker)) {
        String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
        try {
          server.command("CLIENT", "KILL", "ID", id);
          killed++;
        } catch (IllegalStateException gone) {
          LOG.debug("client {} already gone: {}", id, gone.getMessage());
        }
      }
    }
    return killed;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
