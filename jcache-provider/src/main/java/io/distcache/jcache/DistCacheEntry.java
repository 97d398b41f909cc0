package io.distcache.jcache;

import java.util.Map;
import java.util.Objects;
import javax.cache.Cache;

/**
 * An immutable key/value pair handed to iterators, writers and listeners.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class DistCacheEntry<K, V> implements Cache.Entry<K, V> {

  private final K key;
  private final V value;

  /** Creates an entry. */
  public DistCacheEntry(K key, V value) {
    this.key = Objects.requireNonNull(key);
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("a cache entry cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Map.Entry<?, ?> that
        ? key.equals(that.getKey()) && Objects.equals(value, that.getValue())
        : other instanceof Cache.Entry<?, ?> entry && key.equals(entry.getKey())
            && Objects.equals(value, entry.getValue());
  }

  @Override
  public int hashCode() {
    return key.hashCode() ^ Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
