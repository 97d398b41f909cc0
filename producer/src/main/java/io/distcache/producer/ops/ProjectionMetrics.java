package io.distcache.producer.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
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
 * </ul>
 */
public final class ProjectionMetrics {

  private final MeterRegistry registry;
  private final String projection;
  private final Counter written;
  private final Counter skipped;
  private final Counter rejected;
  private final Counter rebuilds;
  private final Timer batch;
  private final Map<String, Counter> dlq = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> lag = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> applied = new ConcurrentHashMap<>();

  /** Registers the meters of a projection. */
  public ProjectionMetrics(MeterRegistry registry, String projection) {
    this.registry = registry;
    this.projection = projection;
    this.written = records("written");
    this.skipped = records("skipped");
    this.rejected = records("rejected");
    this.rebuilds = Counter.builder("distcache.producer.rebuilds").tag("projection", projection)
        .description("Namespace rebuilds from offset 0 (generation lost or changed)").register(registry);
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

  /** Counts a rebuild. */
  public void rebuilt() {
    rebuilds.increment();
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
