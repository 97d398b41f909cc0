package io.distcache.benchmarks;

import io.distcache.benchmarks.bulk.BulkGetBenchmark;
import io.distcache.benchmarks.codec.DecodeBenchmark;
import io.distcache.benchmarks.data.Dataset;
import io.distcache.benchmarks.local.LocalHitBenchmark;
import io.distcache.benchmarks.outage.OutageHitBenchmark;
import io.distcache.benchmarks.peer.PlainKryo;
import io.distcache.benchmarks.peer.RedisEndpoint;
import io.distcache.benchmarks.propagation.LatencySummary;
import io.distcache.benchmarks.propagation.PropagationScenarios;
import io.distcache.benchmarks.remote.RemoteGetBenchmark;
import io.distcache.benchmarks.report.ExpectedRow;
import io.distcache.benchmarks.report.Machine;
import io.distcache.benchmarks.report.MarkdownReport;
import io.distcache.benchmarks.report.MeasuredRow;
import io.distcache.benchmarks.report.TargetCheck;
import io.distcache.benchmarks.wire.WireEncodeBenchmark;
import io.distcache.benchmarks.write.PutBenchmark;
import io.distcache.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher behind {@code benchmarks/run}: starts one redis-server, runs every JMH group (each
 * benchmark method in its own fork, forks inheriting this JVM's flags), measures propagation in this
 * JVM, and writes the Markdown results.
 *
 * <p>Arguments: {@code --quick} (1 fork, short iterations), {@code --only <regex>} (rows whose
 * {@code Class.method} matches; {@code propagation} selects the propagation table), {@code --prof <name>}
 * (a JMH profiler such as {@code gc}), {@code --out <file>} (default {@code RESULTS.md}).
 */
public final class BenchmarkSuite {

  /** One JMH run: a benchmark class at a thread count. */
  private record Run(Class<?> benchmark, int threads) {
  }

  private static final List<Run> RUNS = List.of(
      new Run(LocalHitBenchmark.class, 1),
      new Run(RemoteGetBenchmark.class, 1),
      new Run(RemoteGetBenchmark.class, 2),
      new Run(BulkGetBenchmark.class, 1),
      new Run(PutBenchmark.class, 1),
      new Run(DecodeBenchmark.class, 1),
      new Run(WireEncodeBenchmark.class, 1),
      new Run(OutageHitBenchmark.class, 1));

  private static final String GC_ALLOCATION = "gc.alloc.rate.norm";
  private static final Logger LOG = LoggerFactory.getLogger(BenchmarkSuite.class);

  private final boolean quick;
  private final Pattern only;
  private final String profiler;

  private BenchmarkSuite(boolean quick, Pattern only, String profiler) {
    this.quick = quick;
    this.only = only;
    this.profiler = profiler;
  }

  /** Runs the suite; see the class comment for the arguments. */
  public static void main(String[] args) throws RunnerException, IOException {
    boolean quick = false;
    Pattern only = null;
    String profiler = null;
    Path out = Path.of("RESULTS.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--only" -> only = Pattern.compile(args[++i]);
        case "--prof" -> profiler = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; expected --quick, --only <regex>, --prof <profiler>, --out <file>");
      }
    }
    new BenchmarkSuite(quick, only, profiler).runTo(out);
  }

  private void runTo(Path out) throws RunnerException, IOException {
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String loadAtStart = Machine.loadAverage();
    try (RedisServer redis = RedisServer.start()) {
      String uri = "redis://" + redis.host() + ":" + redis.port();
      System.setProperty(RedisEndpoint.PROPERTY, uri);
      List<ExpectedRow> expected = new ArrayList<>();
      List<MeasuredRow> measured = new ArrayList<>();
      for (Run run : RUNS) {
        List<ExpectedRow> rows = ExpectedRow.of(run.benchmark(), run.threads()).stream()
            .filter(row -> selected(run.benchmark().getName() + "." + row.method()))
            .toList();
        if (!rows.isEmpty()) {
          expected.addAll(rows);
          measured.addAll(measure(run, rows, uri));
        }
      }
      List<LatencySummary> propagation = selected("propagation") ? propagation() : List.of();
      String redisVersion = redis.serverBinary().version();
      MarkdownReport report = new MarkdownReport("distcache benchmarks" + (quick ? " (quick run)" : ""),
          jmhSettings(), started, Machine.describe("redis-server " + redisVersion,
              ManagementFactory.getRuntimeMXBean().getInputArguments(), loadAtStart),
          dataDescription(), expected, measured, propagation, new TargetCheck(measured).evaluate(propagation));
      Files.writeString(out, report.render());
      System.out.println("Wrote " + out.toAbsolutePath());
    }
  }

  /** The propagation summaries; none when the measurement failed, so the JMH tables are still written. */
  private List<LatencySummary> propagation() {
    try {
      return PropagationScenarios.run(quick ? 1_000 : 5_000, quick ? 10_000 : 50_000);
    } catch (RuntimeException e) {
      LOG.error("The propagation measurement failed; its table stays empty", e);
      return List.of();
    }
  }

  private boolean selected(String name) {
    return only == null || only.matcher(name).find();
  }

  private List<MeasuredRow> measure(Run run, List<ExpectedRow> rows, String redisUri) throws RunnerException {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .forks(quick ? 1 : 2)
        .warmupIterations(quick ? 2 : 5)
        .warmupTime(TimeValue.seconds(quick ? 1 : 2))
        .measurementIterations(quick ? 4 : 5)
        .measurementTime(TimeValue.seconds(quick ? 1 : 2))
        .threads(run.threads())
        .jvmArgsAppend("-D" + RedisEndpoint.PROPERTY + "=" + redisUri)
        .shouldFailOnError(false);
    for (ExpectedRow row : rows) {
      options.include("^" + Pattern.quote(run.benchmark().getName() + "." + row.method()) + "$");
    }
    if (profiler != null) {
      options.addProfiler(profiler);
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    List<MeasuredRow> measured = new ArrayList<>();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      rows.stream().filter(row -> row.method().equals(method)).findFirst().ifPresent(row -> {
        Result<?> primary = result.getPrimaryResult();
        Result<?> allocation = result.getSecondaryResults().get(GC_ALLOCATION);
        measured.add(new MeasuredRow(row.group(), row.threads(), row.method(), row.label(), row.baseline(),
            primary.getScore(), primary.getScoreError(), primary.getScoreUnit(), bestIteration(result),
            allocation == null ? Double.NaN : allocation.getScore(),
            row.group().percentiles() ? percentiles(primary.getStatistics()) : null));
      });
    }
    return measured;
  }

  /** The distribution of a sampled ({@code SampleTime}) row's calls, over every fork and iteration. */
  private static MeasuredRow.Percentiles percentiles(Statistics calls) {
    return new MeasuredRow.Percentiles(calls.getN(), calls.getPercentile(50), calls.getPercentile(99),
        calls.getPercentile(99.9), calls.getMax());
  }

  /** The lowest time per operation of any measurement iteration of any fork. */
  private static double bestIteration(RunResult result) {
    double best = Double.MAX_VALUE;
    for (BenchmarkResult fork : result.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        best = Math.min(best, iteration.getPrimaryResult().getScore());
      }
    }
    return best;
  }

  private String jmhSettings() {
    return quick
        ? "quick: 1 fork per row, 2 × 1 s warm-up, 4 × 1 s measurement"
        : "full: 2 forks per row, 5 × 2 s warm-up, 5 × 2 s measurement";
  }

  private static String dataDescription() {
    byte[] kryo = new PlainKryo().encode(Dataset.value(1234));
    return String.format(Locale.ROOT, "%,d String keys, random access; values are a mutable 11-field POJO of %d"
        + " bytes in Kryo form (%d bytes Java-serialized)", Dataset.SIZE, kryo.length, javaSerializedSize());
  }

  private static int javaSerializedSize() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(Dataset.value(1234));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.size();
  }
}
