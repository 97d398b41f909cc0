package io.distcache.producer.projection;

import java.util.Map;
import java.util.Objects;

/** What a source record does to a namespace: write a value, delete a key, or clear everything. */
public sealed interface Change {

  /**
   * Writes a value under a cache key.
   *
   * @param key the cache key as edges pass it to {@code Cache.get} (a {@code String})
   * @param value the value edges read: a map of field names to JDK values (or any value the codec allows)
   */
  record Upsert(String key, Object value) implements Change {
    /** Validates the components. */
    public Upsert {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    /** The key and the value's field names only. */
    @Override
    public String toString() {
      return "Upsert[" + key + (value instanceof Map<?, ?> map ? ", fields=" + map.keySet() : "") + "]";
    }
  }

  /**
   * Deletes a cache key (a tombstone with the record's offset as version).
   *
   * @param key the cache key
   */
  record Delete(String key) implements Change {
    /** Validates the key. */
    public Delete {
      Objects.requireNonNull(key, "key");
    }
  }

  /** Removes every entry of the namespace (a Debezium truncate with {@code truncate = clear}). */
  record Clear() implements Change {
  }
}
