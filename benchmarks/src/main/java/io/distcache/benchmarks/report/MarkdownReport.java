package io.distcache.benchmarks.report;

import io.distcache.benchmarks.propagation.LatencySummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a run as Markdown: header (date, machine, settings), one table per group with the ratio to
 * its baseline, the propagation table and the target check.
 *
 * @param title the document title
 * @param settings how JMH ran (iterations, forks), one line
 * @param date when the run started (UTC, ISO-8601)
 * @param machine what it ran on
 * @param data one line describing the data set
 * @param expected every row the run should have produced, in table order
 * @param measured the rows it produced
 * @param propagation the propagation summaries
 * @param targets the checked targets
 */
public record MarkdownReport(String title, String settings, String date, Machine machine, String data,
    List<ExpectedRow> expected, List<MeasuredRow> measured, List<LatencySummary> propagation,
    List<TargetResult> targets) {

  /** The Markdown text. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(title).append("\n\n");
    out.append("- **Date:** ").append(date).append('\n');
    out.append("- **Machine:** ").append(machine.cpu()).append(", ").append(machine.memory()).append(" RAM, ")
        .append(machine.os()).append('\n');
    out.append("- **Load average (1/5/15 min) at start → end:** ").append(machine.loadAtStart()).append(" → ")
        .append(machine.loadAtEnd()).append(" (on ").append(machine.cpu().split(" ")[0])
        .append(" CPUs; anything above that means the rows competed with other work)\n");
    out.append("- **Java:** ").append(machine.javaVersion()).append('\n');
    out.append("- **JVM flags (every fork and the launcher):** `").append(machine.jvmFlags()).append("`\n");
    out.append("- **Redis:** ").append(machine.redis()).append(", one server on loopback shared by every row\n");
    out.append("- **JMH:** ").append(settings).append('\n');
    out.append("- **Data:** ").append(data).append("\n\n");
    out.append("*time/op* is the JMH average per operation with its 99.9% confidence half-width; ops/s is over all"
        + " threads; *× baseline* is the row's time divided by the baseline row's time (lower is better)."
        + " *best iteration* is the fastest measurement iteration and *× baseline (best)* the same ratio on those:"
        + " when the machine is busy with other work, the iteration least disturbed by it. Targets are judged on the"
        + " averages.\n");
    Map<String, List<ExpectedRow>> tables = new LinkedHashMap<>();
    for (ExpectedRow row : expected) {
      tables.computeIfAbsent(row.group().name() + "/" + row.threads(), k -> new ArrayList<>()).add(row);
    }
    int number = 1;
    for (List<ExpectedRow> table : tables.values()) {
      if (table.get(0).group().percentiles()) {
        renderPercentiles(out, number++, table);
      } else {
        renderGroup(out, number++, table);
      }
    }
    renderPropagation(out, number);
    renderTargets(out);
    return out.toString();
  }

  private void renderGroup(StringBuilder out, int number, List<ExpectedRow> table) {
    ExpectedRow first = table.get(0);
    out.append("\n## ").append(number).append(". ").append(first.group().title()).append(", ")
        .append(first.threads()).append(first.threads() == 1 ? " thread" : " threads").append("\n\n")
        .append(first.group().description()).append(".\n\n");
    boolean allocation = measured.stream().anyMatch(row -> !Double.isNaN(row.allocatedBytesPerOp()));
    out.append("| row | time/op | ops/s | × baseline | best iteration | × baseline (best) |")
        .append(allocation ? " alloc B/op |" : "").append('\n');
    out.append("|---|---:|---:|---:|---:|---:|").append(allocation ? "---:|" : "").append('\n');
    Optional<MeasuredRow> baseline = table.stream().filter(ExpectedRow::baseline).findFirst().flatMap(this::find);
    for (ExpectedRow row : table) {
      Optional<MeasuredRow> result = find(row);
      out.append("| ").append(row.label()).append(" | ");
      if (result.isEmpty()) {
        out.append("did not run (failed, see the log) | | | | |").append(allocation ? " |" : "").append('\n');
        continue;
      }
      MeasuredRow r = result.get();
      out.append(time(r)).append(" | ").append(rate(r.opsPerSecond())).append(" | ")
          .append(baseline.map(b -> ratio(r.nanosPerOp(), b.nanosPerOp())).orElse("—")).append(" | ")
          .append(number(r.best())).append(' ').append(unit(r)).append(" | ")
          .append(baseline.map(b -> ratio(r.bestNanosPerOp(), b.bestNanosPerOp())).orElse("—")).append(" |");
      if (allocation) {
        out.append(Double.isNaN(r.allocatedBytesPerOp()) ? " — |"
            : String.format(Locale.ROOT, " %,.0f |", r.allocatedBytesPerOp()));
      }
      out.append('\n');
    }
  }

  /** A sampled group: the distribution of single calls, and the median's ratio to the baseline's. */
  private void renderPercentiles(StringBuilder out, int number, List<ExpectedRow> table) {
    ExpectedRow first = table.get(0);
    out.append("\n## ").append(number).append(". ").append(first.group().title()).append(", ")
        .append(first.threads()).append(first.threads() == 1 ? " thread" : " threads").append("\n\n")
        .append(first.group().description()).append(".\n\n")
        .append("| row | calls timed | p50 | p99 | p99.9 | max | mean | p50 × baseline |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    Optional<MeasuredRow> baseline = table.stream().filter(ExpectedRow::baseline).findFirst().flatMap(this::find);
    for (ExpectedRow row : table) {
      Optional<MeasuredRow> result = find(row).filter(r -> r.latency() != null);
      out.append("| ").append(row.label()).append(" | ");
      if (result.isEmpty()) {
        out.append("did not run (failed, see the log) | | | | | | |\n");
        continue;
      }
      MeasuredRow r = result.get();
      MeasuredRow.Percentiles calls = r.latency();
      String unit = " " + unit(r);
      out.append(String.format(Locale.ROOT, "%,d", calls.samples())).append(" | ")
          .append(number(calls.p50())).append(unit).append(" | ")
          .append(number(calls.p99())).append(unit).append(" | ")
          .append(number(calls.p999())).append(unit).append(" | ")
          .append(number(calls.max())).append(unit).append(" | ")
          .append(number(r.score())).append(unit).append(" | ")
          .append(baseline.filter(b -> b.latency() != null)
              .map(b -> ratio(calls.p50(), b.latency().p50())).orElse("—"))
          .append(" |\n");
    }
  }

  private void renderPropagation(StringBuilder out, int number) {
    out.append("\n## ").append(number).append(". Propagation\n\n")
        .append("Time from the start of a write to the moment another CacheManager's near cache stops serving the"
            + " old value (its `nearCopy(key)` polled), random keys, the write's own round trip included.\n\n")
        .append("| write path | updates | p50 | p90 | p99 | p99.9 | max | never arrived |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    if (propagation.isEmpty()) {
      out.append("| did not run (not selected, or failed: see the log) | | | | | | | |\n");
    }
    for (LatencySummary s : propagation) {
      out.append("| ").append(s.label()).append(" | ").append(String.format(Locale.ROOT, "%,d", s.count()))
          .append(" | ").append(millis(s.p50Nanos())).append(" | ").append(millis(s.p90Nanos()))
          .append(" | ").append(millis(s.p99Nanos())).append(" | ").append(millis(s.p999Nanos()))
          .append(" | ").append(millis(s.maxNanos())).append(" | ").append(s.timeouts()).append(" |\n");
    }
  }

  private void renderTargets(StringBuilder out) {
    out.append("\n## Targets\n\n| target | measured | verdict |\n|---|---:|---|\n");
    for (TargetResult target : targets) {
      out.append("| ").append(target.target()).append(" | ").append(target.measured()).append(" | ")
          .append(target.verdict()).append(" |\n");
    }
  }

  private Optional<MeasuredRow> find(ExpectedRow row) {
    return measured.stream()
        .filter(m -> m.group() == row.group() && m.threads() == row.threads() && m.method().equals(row.method()))
        .findFirst();
  }

  private static String time(MeasuredRow row) {
    String error = Double.isNaN(row.error()) ? "" : " ± " + number(row.error());
    return number(row.score()) + error + " " + unit(row);
  }

  private static String unit(MeasuredRow row) {
    return row.unit().replace("/op", "").replace("us", "µs");
  }

  private static String ratio(double nanos, double baselineNanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / baselineNanos);
  }

  private static String number(double value) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
  }

  private static String rate(double opsPerSecond) {
    if (opsPerSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.1f M", opsPerSecond / 1e6);
    }
    if (opsPerSecond >= 1e3) {
      return String.format(Locale.ROOT, "%.1f k", opsPerSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", opsPerSecond);
  }

  private static String millis(long nanos) {
    return nanos < 0 ? "—" : String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }
}
