package io.distcache.checker;

import io.distcache.protocol.settings.Quantities;
import io.distcache.testkit.RedisCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

/**
 * The {@code run} and {@code soak} commands: start a testkit master with replicas, run the
 * {@link CoherenceChecker} (and, for {@code soak}, random faults), print the report. With
 * {@code --cluster-masters N} (run only), the checker runs on a testkit Redis Cluster of N masters,
 * each with {@code --replicas} replicas.
 *
 * <pre>
 * run  [--edges 2] [--duration 60s] [--keys 32] [--readers 1] [--bound 100ms] [--write-rate 2000]
 *      [--read-rate 20000] [--command-timeout 500ms] [--replicas 1] [--cluster-masters 0]
 * soak [the same] [--fault-interval 15s] [--outage 1s] [--seed &lt;n&gt;] [--faults a,b,...]
 *      (default duration 10m; faults: any of {@link FaultInjector#FAULTS}, default all)
 * </pre>
 *
 * <p>{@code --read-rate} is the reads per second of each edge, shared by its {@code --readers}
 * threads, which park between reads ({@code 0}: read back to back, as fast as the machine allows).
 *
 * <p>Exit status: 0 when the report passed, 1 when it failed, 2 for a usage error.
 */
public final class CheckerMain {

  private static final Set<String> RUN_OPTIONS = Set.of("edges", "duration", "keys", "readers", "bound",
      "write-rate", "read-rate", "command-timeout", "replicas", "cluster-masters");
  private static final Set<String> SOAK_OPTIONS = Set.of("fault-interval", "outage", "seed", "faults");

  /**
   * The bound the commands hold every read to unless told otherwise. A bound judges each read, a maximum,
   * not a percentile: on the 2-core machine where the checker, two redis-servers and three CacheManagers
   * share the cores, scheduling alone delays an invalidation by 5-100 ms a few hundred times in 20 million
   * reads (measured by the 10-minute soak), while propagation stays at p50 about 1 ms. 100 ms is the bound
   * that run holds with every fault; the report prints the lags and percentiles below it.
   */
  static final Duration DEFAULT_BOUND = Duration.ofMillis(100);

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
      System.err.println("usage: run|soak [--edges N] [--duration 60s] [--keys N] [--readers N] [--bound 100ms]"
          + " [--write-rate N] [--read-rate N (reads/s per edge, default " + CheckerOptions.DEFAULT_READ_RATE
          + ", 0 = unpaced)] [--command-timeout 500ms] [--replicas N] [--cluster-masters N (run only)]"
          + " [--fault-interval 15s] [--outage 1s] [--seed N] [--faults a,b] (soak only: the last four;"
          + " faults: " + String.join(",", FaultInjector.FAULTS) + ")");
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
    if (args.length == 0 || !(args[0].equals("run") || args[0].equals("soak"))) {
      throw new IllegalArgumentException("the first argument must be 'run' or 'soak'");
    }
    boolean soak = args[0].equals("soak");
    Map<String, String> options = parse(args, soak);
    CheckerOptions checkerOptions = CheckerOptions.defaults()
        .withEdges(integer(options, "edges", 2))
        .withKeys(integer(options, "keys", 32))
        .withReadersPerEdge(integer(options, "readers", 1))
        .withBound(duration(options, "bound", DEFAULT_BOUND))
        .withWriteRate(integer(options, "write-rate", 2000))
        .withReadRate(readRate(options))
        .withCommandTimeout(duration(options, "command-timeout", Duration.ofMillis(500)));
    Duration length = duration(options, "duration", soak ? Duration.ofMinutes(10) : Duration.ofSeconds(60));
    int replicas = integer(options, "replicas", 1);
    Duration faultInterval = duration(options, "fault-interval", Duration.ofSeconds(15));
    Duration outage = duration(options, "outage", Duration.ofSeconds(1));
    long seed = options.containsKey("seed") ? Long.parseLong(options.get("seed")) : System.nanoTime();
    List<String> faults = options.containsKey("faults") ? List.of(options.get("faults").split(",")) : FaultInjector.FAULTS;
    if (!FaultInjector.FAULTS.containsAll(faults)) {
      throw new IllegalArgumentException("--faults must name faults from " + FaultInjector.FAULTS + ", was " + faults);
    }

    int clusterMasters = integer(options, "cluster-masters", 0);
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

  private static Map<String, String> parse(String[] args, boolean soak) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (name == null || !(RUN_OPTIONS.contains(name) || soak && SOAK_OPTIONS.contains(name))) {
        throw new IllegalArgumentException("unknown option '" + args[i] + "' for " + args[0]);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      options.put(name, args[++i]);
    }
    return options;
  }

  private static int integer(Map<String, String> options, String name, int fallback) {
    String value = options.get(name);
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + value + "'", e);
    }
  }

  /**
   * {@code --read-rate}: reads per second per edge, {@link CheckerOptions#DEFAULT_READ_RATE} if
   * absent, {@code 0} for unpaced readers.
   */
  private static int readRate(Map<String, String> options) {
    String value = options.get("read-rate");
    if (value == null) {
      return CheckerOptions.DEFAULT_READ_RATE;
    }
    int rate;
    try {
      rate = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      rate = -1;
    }
    if (rate < 0) {
      throw new IllegalArgumentException("--read-rate must be a whole number of reads per second per edge, 0 or"
          + " more (0 = unpaced, back to back), was '" + value + "'");
    }
    return rate;
  }

  /** A duration option, in the grammar of every distcache configuration ({@link Quantities}). */
  static Duration duration(Map<String, String> options, String name, Duration fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Quantities.positiveDuration(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + name + " '" + value + "': " + e.getMessage(), e);
    }
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
