package io.distcache.producer.projection;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cache-key template such as {@code user:{id}} or {@code order:{tenant}:{id}}, compiled once.
 *
 * <p>A placeholder {@code {name}} takes field {@code name} from the record key when the key is a JSON
 * object (Debezium keys included), else from the row. When the key is a plain value (a string or number,
 * quoted JSON or raw text) and the template has exactly one placeholder, that placeholder is the key
 * itself, so {@code user:{id}} works for keys {@code 42} and {@code {"id":42}} alike, deletes included.
 * {@code {key}} with no such field is the whole key as text. Field values must be strings, numbers or
 * booleans; decimals are written in plain notation.
 */
public final class KeyTemplate {

  /** The template that uses the Kafka key as it is: the default. */
  public static final String RAW_KEY = "{key}";

  private final String source;
  private final List<String> literals;
  private final List<String> fields;

  private KeyTemplate(String source, List<String> literals, List<String> fields) {
    this.source = source;
    this.literals = literals;
    this.fields = fields;
  }

  /**
   * Compiles a template.
   *
   * @throws IllegalArgumentException for an unbalanced brace or an empty placeholder
   */
  public static KeyTemplate parse(String template) {
    List<String> literals = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{') {
        int end = template.indexOf('}', i);
        if (end < 0 || end == i + 1) {
          throw new IllegalArgumentException("key template '" + template + "' has an unclosed or empty placeholder;"
              + " write e.g. user:{id}");
        }
        literals.add(literal.toString());
        literal.setLength(0);
        fields.add(template.substring(i + 1, end).trim());
        i = end + 1;
      } else if (c == '}') {
        throw new IllegalArgumentException("key template '" + template + "' has a '}' without '{'");
      } else {
        literal.append(c);
        i++;
      }
    }
    literals.add(literal.toString());
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("key template '" + template + "' has no placeholder, so every record would"
          + " get the same key; write e.g. user:{id}");
    }
    return new KeyTemplate(template, List.copyOf(literals), List.copyOf(fields));
  }

  /** The field names of the placeholders, in order. */
  public List<String> fields() {
    return fields;
  }

  /**
   * Builds the cache key of a record.
   *
   * @param key the parsed record key
   * @param row the row's fields, or an empty map for deletes
   * @throws RejectedRecordException ({@link RejectedRecordException#MISSING_KEY_FIELD}) when a placeholder
   *     has no usable value
   */
  public String render(RecordKey key, Map<String, Object> row) {
    StringBuilder out = new StringBuilder(source.length() + 16);
    for (int i = 0; i < fields.size(); i++) {
      out.append(literals.get(i)).append(text(fields.get(i), key, row));
    }
    return out.append(literals.get(fields.size())).toString();
  }

  private String text(String field, RecordKey key, Map<String, Object> row) {
    Object value = null;
    if (key.fields().containsKey(field)) {
      value = key.fields().get(field);
    } else if (row.containsKey(field)) {
      value = row.get(field);
    } else if (key.scalar() != null && (fields.size() == 1 || field.equals("key"))) {
      value = key.scalar();
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }
    throw new RejectedRecordException(RejectedRecordException.MISSING_KEY_FIELD, "key template '" + source
        + "': field '" + field + "' is " + (value == null ? "missing or null" : "not a string, number or boolean")
        + " in the record key and row");
  }

  @Override
  public String toString() {
    return source;
  }
}
