package io.distcache.producer.projection;

import java.util.Map;

/**
 * Format {@code json}: the value is the row as a JSON object; a Kafka tombstone (null value) deletes the
 * key. A {@code schema}/{@code payload} wrapper is unwrapped.
 */
public final class JsonRowProjection implements Projection {

  @Override
  public String format() {
    return "json";
  }

  @Override
  public Change project(SourceRecord record, ProjectionSettings settings) {
    RecordKey key = RecordKey.parse(record.key());
    Map<String, Object> row = JsonRows.rowOf(record);
    if (row == null) {
      return new Change.Delete(settings.keyTemplate().render(key, Map.of()));
    }
    return new Change.Upsert(settings.keyTemplate().render(key, row), settings.fields().apply(row));
  }
}
