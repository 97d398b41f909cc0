package io.distcache.producer.projection;

import java.util.Map;

/**
 * Format {@code debezium}: Debezium change events, with or without the {@code schema}/{@code payload}
 * wrapper. {@code op} {@code c}, {@code u} and {@code r} (snapshot read) write {@code after};
 * {@code d} deletes; {@code t} (truncate) clears the namespace or is rejected, per
 * {@code projection[<name>].truncate}; any other {@code op} is rejected. Kafka tombstones, which
 * Debezium sends after each delete, delete the key too (a no-op when already deleted).
 */
public final class DebeziumProjection implements Projection {

  @Override
  public String format() {
    return "debezium";
  }

  @Override
  public Change project(SourceRecord record, ProjectionSettings settings) {
    Map<String, Object> event = record.value() == null ? null
        : JsonRows.unwrapPayload(JsonRows.object(record.value(), "value"));
    Object op = event == null ? null : event.get("op");
    if ("t".equals(op)) {
      return truncate(settings);
    }
    RecordKey key = RecordKey.parse(record.key());
    if (event == null) {
      return new Change.Delete(settings.keyTemplate().render(key, Map.of()));
    }
    if (!(op instanceof String code)) {
      throw new RejectedRecordException(RejectedRecordException.UNKNOWN_OP, "the Debezium event has no 'op' field");
    }
    return switch (code) {
      case "c", "u", "r" -> {
        Map<String, Object> after = row(event, "after", code);
        yield new Change.Upsert(settings.keyTemplate().render(key, after), settings.fields().apply(after));
      }
      case "d" -> {
        Object before = event.get("before");
        Map<String, Object> row = before instanceof Map<?, ?> map ? JsonRows.asObject(map) : Map.of();
        yield new Change.Delete(settings.keyTemplate().render(key, row));
      }
      default -> throw new RejectedRecordException(RejectedRecordException.UNKNOWN_OP, "Debezium op '"
          + (code.length() > 10 ? code.substring(0, 10) + "…" : code) + "' is not one of c, u, r, d, t");
    };
  }

  private static Change truncate(ProjectionSettings settings) {
    if (settings.truncate() == TruncateMode.CLEAR) {
      return new Change.Clear();
    }
    throw new RejectedRecordException(RejectedRecordException.TRUNCATE_REJECTED, "a Debezium truncate arrived and"
        + " projection '" + settings.name() + "' rejects truncates; set truncate = clear to empty the namespace");
  }

  private static Map<String, Object> row(Map<String, Object> event, String field, String op) {
    Object row = event.get(field);
    if (row instanceof Map<?, ?> map) {
      return JsonRows.asObject(map);
    }
    throw new RejectedRecordException(RejectedRecordException.MALFORMED, "Debezium op '" + op + "' has no '"
        + field + "' object");
  }
}
