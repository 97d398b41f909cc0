package io.distcache.producer;

import static java.util.Objects.requireNonNull;

import io.distcache.producer.ops.ProjectionMetrics;
import io.distcache.producer.ops.ProjectionStatus;
import io.distcache.producer.sink.Build;
import io.distcache.producer.sink.EntryWrite;
import io.distcache.producer.sink.NamespaceSink;
import io.distcache.producer.sink.OffsetMove;
import io.distcache.producer.sink.PendingBatch;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A projection's batches on their way to Redis, one in flight at a time: Redis applies batch N while the runner
 * projects batch N+1. Batches on one connection apply in order, and each names the stored offsets it starts from, so
 * a lost batch makes the following ones refuse instead of skipping records. A refusal is returned, not handled: the
 * runner decides what it means for the namespace.
 */
final class BatchPipeline {

  private final NamespaceSink sink;
  private final ProjectionMetrics metrics;
  private final ProjectionStatus status;
  private PendingBatch inFlight;

  BatchPipeline(NamespaceSink sink, ProjectionMetrics metrics, ProjectionStatus status) {
    this.sink = requireNonNull(sink, "sink");
    this.metrics = requireNonNull(metrics, "metrics");
    this.status = requireNonNull(status, "status");
  }

  /**
   * Sends a batch, then waits for the previous one.
   *
   * @return the previous batch's refusal ({@link PendingBatch#GENERATION_CHANGED}, {@link PendingBatch#FENCED} or
   *     another negative code), or 0 when it was applied or there was none
   */
  long send(List<EntryWrite> writes, Map<Integer, OffsetMove> moves, String generation, Build build) {
    PendingBatch previous = inFlight;
    inFlight = sink.send(writes, moves, generation, build);
    return previous == null ? 0 : finish(previous);
  }

  /** Waits for the batch in flight, if any; returns its refusal as {@link #send} does. */
  long drain() {
    PendingBatch last = inFlight;
    inFlight = null;
    return last == null ? 0 : finish(last);
  }

  /** Forgets the batch in flight: it was sent under a claim, generation or ownership this instance no longer has. */
  void forget() {
    inFlight = null;
  }

  /** Whether no batch awaits Redis's answer. */
  boolean idle() {
    return inFlight == null;
  }

  private long finish(PendingBatch batch) {
    long written = batch.await();
    if (written < 0) {
      return written;
    }
    status.redisError(null);
    metrics.batch(written, batch.size() - written, Duration.ofNanos(System.nanoTime() - batch.sentNanos()));
    Map<Integer, Long> applied = new HashMap<>();
    batch.moves().forEach((partition, move) -> applied.put(partition, move.next()));
    metrics.applied(applied);
    return 0;
  }
}
