package io.distcache.producer.projection;

import java.util.Map;

/** A plugin projection for the SPI test: JSON rows with the name upper-cased. Listed only in a jar built by the test. */
public final class UpperCaseNames implements Projection {

  @Override
  public String format() {
    return "upper-names";
  }

  @Override
  public Change project(SourceRecord record, ProjectionSettings settings) {
    Change change = new JsonRowProjection().project(record, settings);
    if (change instanceof Change.Upsert upsert && upsert.value() instanceof Map<?, ?> row) {
      @SuppressWarnings("unchecked")
      Map<String, Object> value = (Map<String, Object>) row;
      value.computeIfPresent("name", (k, name) -> name.toString().toUpperCase(java.util.Locale.ROOT));
    }
    return change;
  }
}
