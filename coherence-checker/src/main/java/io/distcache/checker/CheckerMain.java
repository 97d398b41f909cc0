package io.distcache.checker;

import io.distcache.protocol.settings.Setting;
import io.distcache.testkit.RedisCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * The {@code run} and {@code soak} commands: start a testkit master with replicas, run the
 * {@link CoherenceChecker} (and, for {@code soak}, random faults), print the report. With
 * {@code --cluster-masters N} (run only), the checker runs on a testkit Redis Cluster of N masters,
 * each with {@code --replicas} replicas.
 *
 * <p>The options, their defaults and their grammar are the rows of {@link CheckerSettingsTable}; the usage message
 * and the options table of docs/coherence-checker.md are generated from them.
 *
 * <p>Exit status: 0 when the report passed, 1 when it failed, 2 for a usage error.
 */
public final class CheckerMain {

  private CheckerMain() {
  }

  /**
   * Runs a command.
   *
   * @param args {@code run} or {@code soak}, then options
   */
  public static void main(String[] args) {
    int status;
    try {
      status = execute(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(usage());
      status = 2;
    }
    System.exit(status);
  }

  /**
   * Runs a command, printing to {@code out}.
   *
   * @return the exit status
   * @throws IllegalArgumentException for an unknown command or option, or a bad value
   */
  static int execute(String[] args, PrintStream out) {
    CheckerCommandLine line = CheckerCommandLine.parse(args);
    boolean soak = line.soak();
    CheckerOptions checkerOptions = CheckerOptions.defaults()
        .withEdges(line.get(CheckerSettingsTable.EDGES))
        .withKeys(line.get(CheckerSettingsTable.KEYS))
        .withReadersPerEdge(line.get(CheckerSettingsTable.READERS))
        .withBound(line.get(CheckerSettingsTable.BOUND))
        .withWriteRate(line.get(CheckerSettingsTable.WRITE_RATE))
        .withReadRate(line.get(CheckerSettingsTable.READ_RATE))
        .withCommandTimeout(line.get(CheckerSettingsTable.COMMAND_TIMEOUT));
    Duration length = line.given(CheckerSettingsTable.DURATION)
        .orElse(soak ? Duration.ofMinutes(10) : Duration.ofSeconds(60));
    int replicas = line.get(CheckerSettingsTable.REPLICAS);
    Duration faultInterval = line.get(CheckerSettingsTable.FAULT_INTERVAL);
    Duration outage = line.get(CheckerSettingsTable.OUTAGE);
    long seed = line.given(CheckerSettingsTable.SEED).orElseGet(System::nanoTime);
    List<String> faults = line.get(CheckerSettingsTable.FAULTS);

    int clusterMasters = line.get(CheckerSettingsTable.CLUSTER_MASTERS);
    if (soak && clusterMasters > 0) {
      throw new IllegalArgumentException("--cluster-masters is for run only: the soak's faults target one master"
          + " and its replicas");
    }
    if (clusterMasters > 0) {
      try (RedisCluster cluster = RedisCluster.start(clusterMasters, replicas)) {
        Properties properties = new Properties();
        properties.setProperty("redis.uri", cluster.seedsUri());
        properties.setProperty("redis.cluster", "true");
        properties.setProperty("redis.key-prefix", "chk-cluster");
        try (CoherenceChecker checker = new CoherenceChecker(checkerOptions, properties)) {
          out.println("run for " + length + " against " + cluster);
          checker.start();
          return finish(checker, System.nanoTime() + length.toNanos(), out);
        }
      }
    }
    try (RedisTopology topology = RedisTopology.start(replicas);
        CoherenceChecker checker = new CoherenceChecker(checkerOptions, topology.managerProperties())) {
      out.println((soak ? "soak" : "run") + " for " + length + " against " + topology
          + (soak ? ", a random fault every " + faultInterval + " from " + faults + " (seed " + seed + ")" : ""));
      checker.start();
      long end = System.nanoTime() + length.toNanos();
      if (soak) {
        // One seeded random chooses the faults and draws their random durations: the seed replays both.
        Random random = new Random(seed);
        injectFaults(checker, new FaultInjector(topology, checker, outage, random), faults, random, faultInterval,
            end, out);
      }
      return finish(checker, end, out);
    }
  }

  private static int finish(CoherenceChecker checker, long end, PrintStream out) {
    sleepUntil(end);
    CheckerReport report = checker.finish(checker.options().repairGrace());
    out.println(report.format());
    return report.passed() ? 0 : 1;
  }

  private static void injectFaults(CoherenceChecker checker, FaultInjector injector, List<String> faults,
      Random random, Duration interval, long end, PrintStream out) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    while (System.nanoTime() + interval.toNanos() < end) {
      sleepUntil(System.nanoTime() + interval.toNanos());
      String fault = injector.random(random, faults);
      counts.merge(fault, 1, Integer::sum);
      Ledger.Tally tally = checker.ledger().tally();
      out.printf("after %s: reads %d, writes %d, violations %d, tolerated %d, regressions %d, blocked calls %d%n",
          fault, tally.reads(), tally.writes(), tally.violations(), tally.tolerated(), tally.regressions(),
          tally.blockedCalls());
    }
    out.println("faults injected: " + counts);
  }

  /** One line per option, from {@link CheckerSettingsTable}. */
  static String usage() {
    StringBuilder usage = new StringBuilder("usage: run|soak [options]; soak takes the last four\n");
    for (Setting<?> setting : concat(CheckerSettingsTable.RUN, CheckerSettingsTable.SOAK)) {
      usage.append("  ").append(CheckerSettingsTable.option(setting)).append(" (default ")
          .append(setting.shownDefault().replace("`", "")).append("): ").append(setting.meaning().replace("`", ""))
          .append('\n');
    }
    return usage.toString();
  }

  private static List<Setting<?>> concat(List<Setting<?>> first, List<Setting<?>> second) {
    List<Setting<?>> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static void sleepUntil(long deadlineNanos) {
    long remaining;
    while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
      try {
        Thread.sleep(Math.max(1, remaining / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
