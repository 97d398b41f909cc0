package io.distcache.producer.ops;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The live state of one projection for {@code /health/live} and {@code /health/ready}: its phase, whether
 * Redis and Kafka answer, and when its loop last went round. Thread-safe: the projection thread writes, the
 * HTTP threads read.
 */
public final class ProjectionStatus {

  /** What a projection is doing. */
  public enum Phase {
    /** Opening the namespace and assigning partitions. */
    STARTING,
    /** Catching the current generation up to the end offsets seen at start, in place. */
    BACKLOAD,
    /** Loading a new generation beside the current one, which edges keep reading, up to the end offsets seen at its start. */
    BUILDING,
    /** Making a built generation current; edges move over to it. */
    SWITCHING,
    /** Following the topic. */
    LIVE,
    /** Another producer instance holds the namespace; this one takes over when that one falls silent. */
    STANDBY,
    /** Stopped by a condition an operator must resolve; {@code error} says which. */
    FAILED,
    /** Stopped after SIGTERM or close. */
    STOPPED
  }

  private final String name;
  private volatile Phase phase = Phase.STARTING;
  private volatile String redisError;
  private volatile String kafkaError;
  private volatile String failure;
  private volatile Instant since = Instant.now();
  private volatile long lastBeatNanos = System.nanoTime();
  private volatile BackloadProgress progress;
  private volatile List<Integer> partitions = List.of();

  /** Creates the status of the named projection. */
  public ProjectionStatus(String name) {
    this.name = requireNonNull(name, "name");
  }

  /** The projection's name. */
  public String name() {
    return name;
  }

  /** Sets the phase. */
  public void phase(Phase phase) {
    if (this.phase != phase) {
      this.phase = phase;
      this.since = Instant.now();
    }
  }

  /** The phase. */
  public Phase phase() {
    return phase;
  }

  /** The progress of the backload or build under way ({@code null}: none), shown while in those phases. */
  public void progress(BackloadProgress progress) {
    this.progress = progress;
  }

  /** Records a Redis failure ({@code null} when Redis answers again). */
  public void redisError(String error) {
    this.redisError = error;
  }

  /** Records a Kafka failure ({@code null} when Kafka answers again). */
  public void kafkaError(String error) {
    this.kafkaError = error;
  }

  /** Records why the projection stopped for good; the phase becomes {@link Phase#FAILED}. */
  public void failed(String reason) {
    this.failure = reason;
    phase(Phase.FAILED);
  }

  /** Notes that the projection's loop went round once more. */
  public void beat() {
    lastBeatNanos = System.nanoTime();
  }

  /**
   * Whether the projection's loop is alive: it did not fail for good and went round within {@code window}.
   * A loop blocked on a Redis or Kafka call still goes round within the calls' timeouts.
   */
  public boolean alive(Duration window) {
    return phase != Phase.FAILED && System.nanoTime() - lastBeatNanos < window.toNanos();
  }

  /** Whether the projection does its job: Redis and Kafka answer, and it follows the topic or stands by. */
  public boolean ready() {
    return healthy() && (phase == Phase.LIVE || phase == Phase.STANDBY);
  }

  /** Whether both Redis and Kafka answered the last call. */
  public boolean healthy() {
    return redisError == null && kafkaError == null && phase != Phase.STOPPED && phase != Phase.FAILED;
  }

  /** Records the source partitions this instance reads and writes (in a consumer group, those it owns). */
  public void partitions(List<Integer> owned) {
    partitions = List.copyOf(owned);
  }

  /** The source partitions this instance reads and writes, in order. */
  public List<Integer> partitions() {
    return partitions;
  }

  /** This status as a JSON object. */
  public String toJson() {
    BackloadProgress shown = progress;
    return "{\"phase\":\"" + phase + "\",\"since\":\"" + since + "\",\"partitions\":" + partitions
        + (shown != null && (phase == Phase.BACKLOAD || phase == Phase.BUILDING) ? ",\"progress\":" + shown.toJson() : "")
        + (failure == null ? "" : ",\"error\":\"" + escape(failure) + "\"")
        + ",\"redis\":" + state(redisError) + ",\"kafka\":" + state(kafkaError) + "}";
  }

  private static String state(String error) {
    return error == null ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\",\"error\":\"" + escape(error) + "\"}";
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
