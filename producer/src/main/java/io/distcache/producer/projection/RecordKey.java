package io.distcache.producer.projection;

import java.util.Map;

/**
 * A parsed Kafka record key: the fields of a JSON object key (a Debezium key's {@code payload} unwrapped),
 * or the text of a plain key (a JSON string or number, or raw UTF-8 text).
 *
 * @param fields the key's fields; empty for a plain key
 * @param scalar the plain key's text; {@code null} for an object key
 */
public record RecordKey(Map<String, Object> fields, String scalar) {

  /** Copies nothing: the fields map comes from the JSON parser and is not shared. */
  public RecordKey {
    fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(fields);
  }

  /**
   * Parses key bytes.
   *
   * @throws RejectedRecordException ({@link RejectedRecordException#NULL_KEY}) for a missing key
   */
  public static RecordKey parse(byte[] key) {
    if (key == null) {
      throw new RejectedRecordException(RejectedRecordException.NULL_KEY, "the record has no key; a compacted"
          + " topic needs one per row");
    }
    Object parsed = JsonRows.parseLenient(key);
    if (parsed instanceof Map<?, ?> map) {
      Map<String, Object> fields = JsonRows.unwrapPayload(JsonRows.asObject(map));
      return new RecordKey(fields, null);
    }
    if (parsed == null) {
      return new RecordKey(Map.of(), new String(key, java.nio.charset.StandardCharsets.UTF_8));
    }
    return new RecordKey(Map.of(), parsed instanceof java.math.BigDecimal decimal ? decimal.toPlainString()
        : parsed.toString());
  }
}
