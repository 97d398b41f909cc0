package io.distcache.benchmarks.report;

import io.distcache.benchmarks.propagation.LatencySummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks the targets (ratios within the same run) against the measured rows. */
public final class TargetCheck {

  private static final double PROPAGATION_P99_LIMIT_MILLIS = 5.0;
  private static final double OUTAGE_HIT_P99_LIMIT_NANOS = 1e6;

  private final List<MeasuredRow> rows;

  /** A check over the rows of one run. */
  public TargetCheck(List<MeasuredRow> rows) {
    this.rows = List.copyOf(rows);
  }

  /** Every target, in the order. */
  public List<TargetResult> evaluate(List<LatencySummary> propagation) {
    List<TargetResult> results = new ArrayList<>();
    results.add(atMost("near hit by reference ≤ 1.5× raw Caffeine", Group.LOCAL_HIT, 1,
        "distcacheByReference", "caffeineRaw", 1.5));
    results.add(atMost("near hit by reference faster than Caffeine JCache by reference (unbounded)",
        Group.LOCAL_HIT, 1, "distcacheByReference", "caffeineJCacheByReference", 1.0));
    results.add(atMost("near hit by reference faster than Caffeine JCache by reference (bounded)",
        Group.LOCAL_HIT, 1, "distcacheByReference", "caffeineJCacheBoundedByReference", 1.0));
    results.add(speedup("near hit by value ≥ 3× faster than Caffeine JCache by value", Group.LOCAL_HIT,
        "distcacheByValue", "caffeineJCacheByValue", 3.0));
    for (int threads : new int[] {1, 2}) {
      for (String mode : new String[] {"ByValue", "ByReference"}) {
        String which = "near-miss get " + (mode.equals("ByValue") ? "by value" : "by reference") + ", "
            + threads + (threads == 1 ? " thread" : " threads");
        results.add(atMost(which + " ≤ 1.1× raw Lettuce GET + decode", Group.REMOTE_GET, threads,
            "distcache" + mode, "lettuceRaw", 1.1));
        results.add(atMost(which + " no slower than Redisson JCache", Group.REMOTE_GET, threads,
            "distcache" + mode, "redisson", 1.0));
      }
    }
    results.add(atMost("getAll(100) cold ≤ 1.3× one MGET", Group.BULK_GET, 1, "distcacheGetAll", "lettuceMget", 1.3));
    results.add(speedup("getAll(100) cold ≥ 10× faster than 100 GETs", Group.BULK_GET, "distcacheGetAll",
        "lettuceSequentialGets", 10.0));
    for (String mode : new String[] {"Reference", "Value"}) {
      results.add(outageHit("near hit by " + mode.toLowerCase(Locale.ROOT) + " while Redis is down: p99 < 1 ms",
          "by" + mode + "RedisKilled"));
    }
    for (LatencySummary summary : propagation) {
      double p99 = summary.p99Nanos() / 1e6;
      results.add(new TargetResult("propagation p99 ≤ 5 ms (" + summary.label() + ")",
          String.format(Locale.ROOT, "p99 %.3f ms over %,d updates", p99, summary.count()),
          summary.count() > 0 && summary.timeouts() == 0 && p99 <= PROPAGATION_P99_LIMIT_MILLIS));
    }
    return results;
  }

  private TargetResult outageHit(String target, String method) {
    Optional<MeasuredRow> row = find(Group.OUTAGE_HIT, 1, method).filter(r -> r.latency() != null);
    if (row.isEmpty()) {
      return new TargetResult(target, "a row did not run", null);
    }
    MeasuredRow r = row.get();
    double p99Nanos = r.toNanos(r.latency().p99());
    return new TargetResult(target, String.format(Locale.ROOT, "p99 %,.0f ns over %,d calls", p99Nanos,
        r.latency().samples()), p99Nanos < OUTAGE_HIT_P99_LIMIT_NANOS);
  }

  private TargetResult atMost(String target, Group group, int threads, String method, String reference,
      double limit) {
    Optional<MeasuredRow> row = find(group, threads, method);
    Optional<MeasuredRow> base = find(group, threads, reference);
    if (row.isEmpty() || base.isEmpty()) {
      return new TargetResult(target, "a row did not run", null);
    }
    double ratio = row.get().nanosPerOp() / base.get().nanosPerOp();
    double bestRatio = row.get().bestNanosPerOp() / base.get().bestNanosPerOp();
    return new TargetResult(target, String.format(Locale.ROOT, "%.2f× (best iterations: %.2f×)", ratio, bestRatio),
        ratio <= limit);
  }

  private TargetResult speedup(String target, Group group, String method, String reference, double atLeast) {
    Optional<MeasuredRow> row = find(group, 1, method);
    Optional<MeasuredRow> base = find(group, 1, reference);
    if (row.isEmpty() || base.isEmpty()) {
      return new TargetResult(target, "a row did not run", null);
    }
    double speedup = base.get().nanosPerOp() / row.get().nanosPerOp();
    double bestSpeedup = base.get().bestNanosPerOp() / row.get().bestNanosPerOp();
    return new TargetResult(target, String.format(Locale.ROOT, "%.1f× faster (best iterations: %.1f×)", speedup,
        bestSpeedup), speedup >= atLeast);
  }

  private Optional<MeasuredRow> find(Group group, int threads, String method) {
    return rows.stream()
        .filter(row -> row.group() == group && row.threads() == threads && row.method().equals(method))
        .findFirst();
  }
}
