package io.distcache.producer.sink;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** A batch sent to Redis, not yet confirmed. */
public final class PendingBatch {

  /** {@link #await()} result: the namespace no longer has the batch's generation. */
  public static final long GENERATION_CHANGED = -1;
  /** {@link #await()} result: the stored offsets are not where the batch starts (a lost batch or chunk). */
  public static final long OFFSETS_MOVED = -2;
  /** {@link #await()} result: another instance claimed the namespace; this one must not write. */
  public static final long FENCED = -3;

  /** What a refusal {@code code} means, for log lines. */
  public static String describeRefusal(long code) {
    return code == GENERATION_CHANGED ? "the generation changed"
        : code == FENCED ? "another instance claimed the namespace" : "the stored offsets moved";
  }

  private final int size;
  private final Map<Integer, OffsetMove> moves;
  private final Supplier<Long> outcome;
  private final long sentNanos = System.nanoTime();

  PendingBatch(int size, Map<Integer, OffsetMove> moves, Supplier<Long> outcome) {
    this.size = size;
    this.moves = Objects.requireNonNull(moves, "moves");
    this.outcome = Objects.requireNonNull(outcome, "outcome");
  }

  /** When the batch was sent ({@link System#nanoTime()}). */
  public long sentNanos() {
    return sentNanos;
  }

  /** The number of writes in the batch. */
  public int size() {
    return size;
  }

  /** The offset moves of the batch. */
  public Map<Integer, OffsetMove> moves() {
    return moves;
  }

  /**
   * Waits for the batch.
   *
   * @return the number of entries written (writes not newer than the stored version are skipped), or
   *     {@link #GENERATION_CHANGED}, {@link #OFFSETS_MOVED} or {@link #FENCED}, after which the caller must reopen the
   *     namespace and read from the offsets stored there
   * @throws SinkUnavailableException when Redis cannot be reached or refuses; the batch may be partly
   *     applied, which a replay from the stored offsets repairs exactly (the version rule)
   */
  public long await() {
    return outcome.get();
  }
}
