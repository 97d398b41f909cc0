package io.distcache.producer.projection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which row fields become the cached value, and under which names.
 *
 * <p>{@code fields} lists the kept fields (empty keeps all, in row order); {@code renames} maps row
 * names to cached names ({@code first_name:firstName,last_name:lastName}). A kept field missing from
 * a row is left out of that row's value.
 */
public final class FieldSelection {

  private final List<String> fields;
  private final Map<String, String> renames;

  private FieldSelection(List<String> fields, Map<String, String> renames) {
    this.fields = fields;
    this.renames = renames;
  }

  /**
   * Parses the comma-separated {@code fields} and {@code renames} settings.
   *
   * @throws IllegalArgumentException for a rename without {@code :}
   */
  public static FieldSelection parse(String fields, String renames) {
    List<String> kept = split(fields);
    Map<String, String> renamed = new LinkedHashMap<>();
    for (String pair : split(renames)) {
      int colon = pair.indexOf(':');
      if (colon <= 0 || colon == pair.length() - 1) {
        throw new IllegalArgumentException("rename '" + pair + "' must be rowName:cachedName");
      }
      renamed.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
    }
    return new FieldSelection(kept, Map.copyOf(renamed));
  }

  private static List<String> split(String csv) {
    return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The value edges read for a row: selected fields, renamed, in a new {@code LinkedHashMap}. */
  public Map<String, Object> apply(Map<String, Object> row) {
    Map<String, Object> value = new LinkedHashMap<>();
    if (fields.isEmpty()) {
      row.forEach((name, field) -> value.put(renames.getOrDefault(name, name), field));
    } else {
      for (String name : fields) {
        if (row.containsKey(name)) {
          value.put(renames.getOrDefault(name, name), row.get(name));
        }
      }
    }
    return value;
  }

  @Override
  public String toString() {
    return "FieldSelection[fields=" + (fields.isEmpty() ? "all" : fields) + ", renames=" + renames + "]";
  }
}
