package io.distcache.producer.projection;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON to the values edges read: objects become {@code LinkedHashMap}s (field order kept), arrays
 * {@code ArrayList}s, integers {@code Long} (or {@code BigInteger} when larger), decimals
 * {@code BigDecimal} (exact), strings, booleans and {@code null} as they are. All are in the codec's
 * default allow-list. Read with Jackson's streaming parser alone, which keeps the shipped jar lean:
 * duplicate fields, trailing tokens and {@code NaN} are errors, nesting is bounded by Jackson's read
 * constraints.
 */
public final class JsonRows {

  private static final JsonFactory FACTORY = JsonFactory.builder()
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
      parsed = parse(bytes);
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
      return parse(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  /** One JSON value, and nothing after it. */
  private static Object parse(byte[] bytes) throws IOException {
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new JsonParseException(parser, "no JSON value");
      }
      Object value = value(parser, first);
      if (parser.nextToken() != null) {
        throw new JsonParseException(parser, "trailing token " + parser.currentToken() + " after the JSON value");
      }
      return value;
    }
  }

  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
          String field = parser.currentName();
          object.put(field, value(parser, parser.nextToken()));
        }
        yield object;
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
          array.add(value(parser, next));
        }
        yield array;
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new JsonParseException(parser, "unexpected token " + token);
    };
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
