package io.distcache.producer.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Map;

/**
 * JSON to the values edges read: objects become {@code LinkedHashMap}s (field order kept), arrays
 * {@code ArrayList}s, integers {@code Long} (or {@code BigInteger} when larger), decimals
 * {@code BigDecimal} (exact), strings, booleans and {@code null} as they are. All are in the codec's
 * default allow-list.
 */
public final class JsonRows {

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private JsonRows() {
  }

  /**
   * Parses a JSON object.
   *
   * @param what what the bytes are, for the message ("value", "key")
   * @throws RejectedRecordException ({@link RejectedRecordException#MALFORMED}) when the bytes are not a JSON object
   */
  public static Map<String, Object> object(byte[] bytes, String what) {
    Object parsed;
    try {
      parsed = MAPPER.readValue(bytes, Object.class);
    } catch (IOException e) {
      throw new RejectedRecordException(RejectedRecordException.MALFORMED, "the record " + what + " is not valid JSON: "
          + firstLine(e));
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new RejectedRecordException(RejectedRecordException.MALFORMED, "the record " + what + " is JSON but not an"
          + " object");
    }
    return asObject(map);
  }

  /** Parses JSON, or returns {@code null} when the bytes are not JSON (plain text keys). */
  static Object parseLenient(byte[] bytes) {
    try {
      return MAPPER.readValue(bytes, Object.class);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The object under {@code payload} when the map is a {@code schema}/{@code payload} wrapper (Kafka Connect
   * JSON with schemas); {@code null} when that payload is JSON {@code null}; otherwise the map itself.
   */
  public static Map<String, Object> unwrapPayload(Map<String, Object> json) {
    if (json.size() == 2 && json.containsKey("schema") && json.containsKey("payload")) {
      Object payload = json.get("payload");
      if (payload instanceof Map<?, ?> map) {
        return asObject(map);
      }
      return null;
    }
    return json;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asObject(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static String firstLine(IOException e) {
    String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
  }

  /**
   * The row a record carries (a {@code schema}/{@code payload} wrapper unwrapped), or {@code null} when
   * the record deletes its key (a Kafka tombstone, or a wrapper with a null payload).
   */
  static Map<String, Object> rowOf(SourceRecord record) {
    return record.value() == null ? null : unwrapPayload(object(record.value(), "value"));
  }
}
