package io.distcache.producer.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Micrometer meters of one projection, all tagged {@code projection=<name>}:
 * <ul>
 *   <li>{@code distcache.producer.records} (counter, tag {@code outcome}: {@code written}, {@code skipped}
 *       (older than the stored version), {@code rejected})</li>
 *   <li>{@code distcache.producer.dlq} (counter, tag {@code reason})</li>
 *   <li>{@code distcache.producer.batch} (timer: one batch applied to Redis)</li>
 *   <li>{@code distcache.producer.lag} (gauge per {@code partition}: records behind the end of the topic)</li>
 *   <li>{@code distcache.producer.applied.offset} (gauge per {@code partition}: last offset stored with its data)</li>
 *   <li>{@code distcache.producer.rebuilds} (counter: namespace generation lost or changed)</li>
 *   <li>{@code distcache.producer.builds} (counter: generations built beside the current one and switched in)</li>
 *   <li>{@code distcache.producer.progress.records}, {@code distcache.producer.progress.records.expected},
 *       {@code distcache.producer.progress.eta} (gauges, seconds for the ETA: the backload or build under way,
 *       the last one's final figures after it)</li>
 *   <li>{@code distcache.producer.phase} (gauge per {@code phase}: 1 for the projection's phase, else 0)</li>
 *   <li>{@code distcache.producer.partition.owned} (gauge per {@code partition}: 1 while this instance reads and
 *       writes it; in a consumer group, the partitions the group gave this member)</li>
 * </ul>
 */
public final class ProjectionMetrics {

  private final MeterRegistry registry;
  private final String projection;
  private final Counter written;
  private final Counter skipped;
  private final Counter rejected;
  private final Counter rebuilds;
  private final Counter builds;
  private final Timer batch;
  private volatile BackloadProgress progress;
  private final Map<String, Counter> dlq = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> lag = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> applied = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> owned = new ConcurrentHashMap<>();

  /** Registers the meters of a projection. */
  public ProjectionMetrics(MeterRegistry registry, String projection) {
    this.registry = registry;
    this.projection = projection;
    this.written = records("written");
    this.skipped = records("skipped");
    this.rejected = records("rejected");
    this.rebuilds = Counter.builder("distcache.producer.rebuilds").tag("projection", projection)
        .description("Namespace rebuilds from offset 0 (generation lost or changed)").register(registry);
    this.builds = Counter.builder("distcache.producer.builds").tag("projection", projection)
        .description("Generations built beside the current one and switched in").register(registry);
    Gauge.builder("distcache.producer.progress.records", this, m -> m.progress == null ? 0 : m.progress.done())
        .tag("projection", projection).description("Records done by the backload or build under way").register(registry);
    // not ".total": Prometheus keeps that suffix for counters and would strip it from a gauge
    Gauge.builder("distcache.producer.progress.records.expected", this, m -> m.progress == null ? 0 : m.progress.total())
        .tag("projection", projection).description("Records the backload or build under way reads").register(registry);
    Gauge.builder("distcache.producer.progress.eta", this, m -> m.progress == null ? 0 : m.progress.etaSeconds())
        .tag("projection", projection).baseUnit("seconds").description("Time the backload or build under way needs")
        .register(registry);
    this.batch = Timer.builder("distcache.producer.batch").tag("projection", projection)
        .description("Time to apply one batch to Redis").register(registry);
  }

  private Counter records(String outcome) {
    return Counter.builder("distcache.producer.records").tag("projection", projection).tag("outcome", outcome)
        .description("Source records processed").register(registry);
  }

  /** Counts a batch: records written, records skipped by the version rule, and its latency. */
  public void batch(long writtenCount, long skippedCount, Duration latency) {
    written.increment(writtenCount);
    skipped.increment(skippedCount);
    batch.record(latency);
  }

  /** Counts a record sent to the dead-letter topic. */
  public void rejected(String reason) {
    rejected.increment();
    dlq.computeIfAbsent(reason, r -> Counter.builder("distcache.producer.dlq").tag("projection", projection)
        .tag("reason", r).description("Records sent to the dead-letter topic").register(registry)).increment();
  }

  /** Shows a backload's or build's progress in the progress gauges. */
  public void progress(BackloadProgress tracked) {
    progress = tracked;
  }

  /** Registers the phase gauge: 1 for the status's phase, 0 for the others. */
  public void phases(ProjectionStatus status) {
    for (ProjectionStatus.Phase phase : ProjectionStatus.Phase.values()) {
      Gauge.builder("distcache.producer.phase", status, s -> s.phase() == phase ? 1 : 0).tag("projection", projection)
          .tag("phase", phase.name()).description("1 for the projection's phase").register(registry);
    }
  }

  /** Counts a generation built beside the current one and switched in. */
  public void built() {
    builds.increment();
  }

  /** Counts a rebuild. */
  public void rebuilt() {
    rebuilds.increment();
  }

  /**
   * Updates the ownership gauges: 1 for each partition this instance reads and writes now, 0 for those it did
   * before (in a consumer group, the group moves partitions between members).
   */
  public void owned(List<Integer> partitions) {
    owned.values().forEach(gauge -> gauge.set(0));
    for (Integer partition : partitions) {
      owned.computeIfAbsent(partition, p -> {
        AtomicLong gauge = new AtomicLong();
        Gauge.builder("distcache.producer.partition.owned", gauge, AtomicLong::get).tag("projection", projection)
            .tag("partition", Integer.toString(p)).description("1 while this instance owns the source partition")
            .register(registry);
        return gauge;
      }).set(1);
    }
  }

  /** Updates the lag gauges. */
  public void lags(Map<Integer, Long> lags) {
    lags.forEach((partition, value) -> gauge(lag, "distcache.producer.lag", partition).set(value));
  }

  /** Updates the last-applied-offset gauges from the next offsets just stored. */
  public void applied(Map<Integer, Long> nextOffsets) {
    nextOffsets.forEach((partition, next) -> gauge(applied, "distcache.producer.applied.offset", partition).set(next - 1));
  }

  private AtomicLong gauge(Map<Integer, AtomicLong> values, String name, int partition) {
    return values.computeIfAbsent(partition, p -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder(name, value, AtomicLong::doubleValue).tag("projection", projection)
          .tag("partition", Integer.toString(p)).register(registry);
      return value;
    });
  }
}
