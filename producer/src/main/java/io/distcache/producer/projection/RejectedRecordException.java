package io.distcache.producer.projection;

import java.util.Objects;
import javax.cache.CacheException;

/**
 * A source record a projection cannot turn into a change. The producer sends it to the projection's
 * dead-letter topic with {@link #reason()} and the message in headers, counts it and goes on.
 */
public final class RejectedRecordException extends CacheException {

  private static final long serialVersionUID = 1L;

  /** Reason of malformed JSON or a value of the wrong shape. */
  public static final String MALFORMED = "malformed";
  /** Reason of a record whose key fields are missing or null. */
  public static final String MISSING_KEY_FIELD = "missing-key-field";
  /** Reason of a record without a Kafka key. */
  public static final String NULL_KEY = "null-key";
  /** Reason of a value over {@code max-value-bytes}. */
  public static final String TOO_LARGE = "value-too-large";
  /** Reason of a Debezium envelope whose {@code op} is missing or unknown. */
  public static final String UNKNOWN_OP = "unknown-op";
  /** Reason of a Debezium truncate when the projection rejects truncates. */
  public static final String TRUNCATE_REJECTED = "truncate-rejected";
  /** Reason of a projection (a plugin's, typically) that threw instead of returning a change. */
  public static final String PROJECTION_FAILED = "projection-failed";
  /** Reason of a value the codec cannot encode. */
  public static final String UNENCODABLE = "unencodable-value";

  private final String reason;

  /**
   * Creates the exception.
   *
   * @param reason a short machine-readable reason (one of the constants, or a plugin's own)
   * @param message what is wrong with the record, without its content
   */
  public RejectedRecordException(String reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The machine-readable reason, written to the {@code distcache.reason} header. */
  public String reason() {
    return reason;
  }
}
