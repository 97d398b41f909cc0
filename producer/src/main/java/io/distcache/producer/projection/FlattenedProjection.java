package io.distcache.producer.projection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Format {@code flattened}: rows from Debezium's {@code ExtractNewRecordState} transform. A row whose
 * {@code __deleted} field is {@code true} (boolean or the string {@code "true"}) deletes the key; the
 * {@code __deleted} field itself is never cached. A Kafka tombstone deletes the key too.
 */
public final class FlattenedProjection implements Projection {

  private static final String DELETED = "__deleted";

  @Override
  public String format() {
    return "flattened";
  }

  @Override
  public Change project(SourceRecord record, ProjectionSettings settings) {
    RecordKey key = RecordKey.parse(record.key());
    Map<String, Object> row = JsonRows.rowOf(record);
    if (row == null) {
      return new Change.Delete(settings.keyTemplate().render(key, Map.of()));
    }
    Object deleted = row.get(DELETED);
    String cacheKey = settings.keyTemplate().render(key, row);
    if (Boolean.TRUE.equals(deleted) || "true".equals(deleted)) {
      return new Change.Delete(cacheKey);
    }
    Map<String, Object> kept = new LinkedHashMap<>(row);
    kept.remove(DELETED);
    return new Change.Upsert(cacheKey, settings.fields().apply(kept));
  }
}
