package io.distcache.checker;

import io.distcache.protocol.settings.Quantities;
import io.distcache.protocol.settings.Setting;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The options of the {@code run} and {@code soak} commands, one row each: the option's name (without {@code --}), its
 * default, its parser in the value grammar of every distcache configuration ({@link Quantities}) and its meaning. The
 * options table of docs/coherence-checker.md is generated from these rows ({@code CheckerReferenceTest}).
 */
final class CheckerSettingsTable {

  static final Setting<Integer> EDGES = Setting.withDefault("edges", "2", text -> Quantities.intWholeNumber(text, 1),
      "edge CacheManagers reading the namespace", "");
  static final Setting<Duration> DURATION = Setting.withoutDefault("duration", null, "`60s` (`run`), `10m` (`soak`)",
      Quantities::positiveDuration, "how long the workload runs (`500ms`, `60s`, `10m`, `1h`)", "");
  static final Setting<Integer> KEYS = Setting.withDefault("keys", "32", text -> Quantities.intWholeNumber(text, 1),
      "keys the writer updates (`k0`…)", "");
  static final Setting<Integer> READERS = Setting.withDefault("readers", "1",
      text -> Quantities.intWholeNumber(text, 1), "reader threads per edge, reading random keys", "");
  /**
   * A bound judges each read, a maximum, not a percentile: on the 2-core machine where the checker, two redis-servers
   * and three CacheManagers share the cores, scheduling alone delays an invalidation by 5-100 ms a few hundred times
   * in 20 million reads (measured by the 10-minute soak), while propagation stays at p50 about 1 ms. 100 ms is the
   * bound that run holds with every fault; the report prints the lags and percentiles below it.
   */
  static final Setting<Duration> BOUND = Setting.withDefault("bound", "100ms", Quantities::positiveDuration,
      "staleness bound every read is judged against: a maximum, not a percentile; the report also prints"
      + " the lags below it and the propagation percentiles", "");
  static final Setting<Integer> WRITE_RATE = Setting.withDefault("write-rate", "2000",
      text -> Quantities.intWholeNumber(text, 0), "writes per second (0 = back to back)", "");
  static final Setting<Integer> READ_RATE = Setting.withDefault("read-rate",
      String.valueOf(CheckerOptions.DEFAULT_READ_RATE), text -> Quantities.intWholeNumber(text, 0),
      "reads per second per edge, shared by its reader threads, which park between reads (0 = back to back: the"
      + " readers then keep every core busy, which delays the followers' invalidations)", "");
  static final Setting<Duration> COMMAND_TIMEOUT = Setting.withDefault("command-timeout", "500ms",
      Quantities::positiveDuration, "`command-timeout` and `redis.connect-timeout` of every manager", "");
  static final Setting<Integer> REPLICAS = Setting.withDefault("replicas", "1",
      text -> Quantities.intWholeNumber(text, 0),
      "replicas of the testkit master (of each master with `--cluster-masters`)", "");
  static final Setting<Integer> CLUSTER_MASTERS = Setting.withDefault("cluster-masters", "0",
      text -> Quantities.intWholeNumber(text, 0),
      "run only: a testkit Redis Cluster of that many masters instead of one master (`redis.cluster=true`)", "");
  static final Setting<Duration> FAULT_INTERVAL = Setting.withDefault("fault-interval", "15s",
      Quantities::positiveDuration, "soak only: pause between faults", "");
  static final Setting<Duration> OUTAGE = Setting.withDefault("outage", "1s", Quantities::positiveDuration,
      "soak only: how long a killed/paused server stays down, how long `DEBUG SLEEP` lasts", "");
  static final Setting<Long> SEED = Setting.withoutDefault("seed", null, "time", CheckerSettingsTable::seed,
      "soak only: seed of the fault sequence (printed, to replay a run)", "");
  static final Setting<List<String>> FAULTS = Setting.withoutDefault("faults", FaultInjector.FAULTS, "all",
      CheckerSettingsTable::faults, "soak only: the faults to choose from: " + FaultInjector.FAULTS.stream()
          .map(fault -> "`" + fault + "`").collect(Collectors.joining(", ")), "");

  /** The options of both commands. */
  static final List<Setting<?>> RUN = List.of(EDGES, DURATION, KEYS, READERS, BOUND, WRITE_RATE, READ_RATE,
      COMMAND_TIMEOUT, REPLICAS, CLUSTER_MASTERS);
  /** The options only {@code soak} takes. */
  static final List<Setting<?>> SOAK = List.of(FAULT_INTERVAL, OUTAGE, SEED, FAULTS);

  private CheckerSettingsTable() {
  }

  /** The option's name on the command line. */
  static String option(Setting<?> setting) {
    return "--" + setting.key();
  }

  private static long seed(String text) {
    try {
      return Long.parseLong(text.strip().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number, such as the seed a soak printed", e);
    }
  }

  private static List<String> faults(String text) {
    List<String> faults = List.of(text.split(",")).stream().map(String::strip).toList();
    if (!FaultInjector.FAULTS.containsAll(faults)) {
      throw new IllegalArgumentException("expected faults from " + FaultInjector.FAULTS + ", was " + faults);
    }
    return faults;
  }
}
