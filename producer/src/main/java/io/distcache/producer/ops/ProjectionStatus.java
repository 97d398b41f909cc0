package io.distcache.producer.ops;

import java.time.Instant;

/**
 * The live state of one projection for {@code /health}: its phase and whether Redis and Kafka answer.
 * Thread-safe: the projection thread writes, the HTTP thread reads.
 */
public final class ProjectionStatus {

  /** What a projection is doing. */
  public enum Phase {
    /** Opening the namespace and assigning partitions. */
    STARTING,
    /** Reading the topic up to the end offsets seen at start (or after a rebuild). */
    BACKLOAD,
    /** Following the topic. */
    LIVE,
    /** Stopped after SIGTERM or close. */
    STOPPED
  }

  private final String name;
  private volatile Phase phase = Phase.STARTING;
  private volatile String redisError;
  private volatile String kafkaError;
  private volatile Instant since = Instant.now();

  /** Creates the status of the named projection. */
  public ProjectionStatus(String name) {
    this.name = name;
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

  /** Records a Redis failure ({@code null} when Redis answers again). */
  public void redisError(String error) {
    this.redisError = error;
  }

  /** Records a Kafka failure ({@code null} when Kafka answers again). */
  public void kafkaError(String error) {
    this.kafkaError = error;
  }

  /** Whether both Redis and Kafka answered the last call. */
  public boolean healthy() {
    return redisError == null && kafkaError == null && phase != Phase.STOPPED;
  }

  /** This status as a JSON object. */
  public String toJson() {
    return "{\"phase\":\"" + phase + "\",\"since\":\"" + since + "\",\"redis\":" + state(redisError)
        + ",\"kafka\":" + state(kafkaError) + "}";
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
