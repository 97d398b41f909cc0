package io.distcache.checker;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The verdict of a {@link CoherenceChecker} run.
 *
 * @param options what ran
 * @param tally the ledger's counts: reads, writes, violations, monotonic-read regressions,
 *     propagation latencies, blocked calls
 * @param nearEntriesChecked near entries compared with Redis at the end
 * @param staleNearEntries near entries that still differed from Redis after the repair time, described
 * @param heap heap use at the end
 */
public record CheckerReport(CheckerOptions options, Ledger.Tally tally, int nearEntriesChecked,
    List<String> staleNearEntries, Heap heap) {

  /** Copies the list. */
  public CheckerReport {
    staleNearEntries = List.copyOf(staleNearEntries);
  }

  /**
   * Whether nothing was stale beyond the bound outside faults, no edge went back to an older
   * version (inside faults or not), nothing stayed stale, nothing blocked.
   */
  public boolean passed() {
    return tally.violations() == 0 && tally.regressions() == 0 && staleNearEntries.isEmpty()
        && tally.blockedCalls() == 0;
  }

  /** A multi-line summary for people. */
  public String format() {
    StringJoiner text = new StringJoiner(System.lineSeparator());
    text.add("coherence checker: " + (passed() ? "PASSED" : "FAILED"));
    text.add(String.format("  %d edges x %d readers (%s), %d keys + %d quiescent, bound %d ms, command timeout %d ms",
        options.edges(), options.readersPerEdge(),
        options.readRate() == 0 ? "unpaced" : options.readRate() + " reads/s per edge", options.keys(),
        options.quiescentKeys(),
        options.bound().toMillis(), options.commandTimeout().toMillis()));
    text.add(String.format("  reads %d, acknowledged writes %d, faults %d, data losses %d", tally.reads(),
        tally.writes(), tally.faults().size(), tally.dataLosses()));
    tally.faults().stream().limit(20).forEach(fault -> text.add("    " + fault + " (+ repair grace "
        + options.repairGrace().toMillis() + " ms)"));
    text.add("  violations (stale beyond the bound, outside faults): " + tally.violations() + " of "
        + tally.readsOutsideFaults() + " reads outside faults");
    text.add("  staleness of the reads outside faults: " + tally.staleness());
    text.add(String.format("  platform pauses (a thread parked for %s woke up late by): %s; exceeded during %s %%"
        + " of the time: %s; %d reads staler than the bound plus that (what the test suites judge; the verdict"
        + " above counts every read beyond the bound)",
        Latencies.Summary.millis(WakeUpDelays.PERIOD_NANOS), tally.wakeUpDelays(),
        Ledger.ALLOWANCE_SHARE_OF_TIME * 100, Latencies.Summary.millis(tally.allowanceNanos()),
        tally.violationsBeyondAllowance()));
    if (tally.violations() > 0) {
      text.add(String.format("    by lag %s; stalest %s; last one at +%.3f s; first ones:", tally.violationsByLag(),
          Latencies.Summary.millis(tally.longestStalenessNanos()), tally.lastViolationNanos() / 1e9));
    }
    tally.samples().forEach(sample -> text.add("    " + sample));
    text.add("  stale reads tolerated inside fault windows: " + tally.tolerated() + " ("
        + tally.toleratedBeyondAllowance() + " staler than the bound plus the allowance)");
    text.add("  regressions (an edge read an older version than it had already read, faults or not): "
        + tally.regressions());
    tally.regressionSamples().forEach(sample -> text.add("    " + sample));
    text.add("  near entries stale after repair: " + staleNearEntries.size() + " of " + nearEntriesChecked
        + " checked");
    staleNearEntries.stream().limit(20).forEach(entry -> text.add("    " + entry));
    text.add("  propagation (ack -> first read of the new version, per edge): " + tally.steadyPropagation());
    text.add("  propagation around faults: " + tally.faultPropagation());
    text.add(String.format("  longest call %s; calls over %d ms: %d",
        Latencies.Summary.millis(tally.longestCallNanos()), options.blockedCallLimit().toMillis(),
        tally.blockedCalls()));
    text.add("  failed calls: " + (tally.errors().isEmpty() ? "none" : format(tally.errors()))
        + "; outside fault windows: " + (tally.afterFaults().errorsOutsideFaults().isEmpty() ? "none"
        : format(tally.afterFaults().errorsOutsideFaults())));
    text.add(String.format("  after the last fault window: %d acknowledged writes, read by the edges %s times",
        tally.afterFaults().writes(), tally.afterFaults().propagatedByEdge()));
    text.add("  " + heap);
    return text.toString();
  }

  private static String format(Map<String, Long> errors) {
    StringJoiner joined = new StringJoiner(", ");
    errors.forEach((type, count) -> joined.add(type + " x" + count));
    return joined.toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
