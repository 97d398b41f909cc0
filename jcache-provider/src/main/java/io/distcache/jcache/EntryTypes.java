package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import javax.cache.configuration.Configuration;

/**
 * The key and value types of a cache's configuration, checked on every key and value the cache is given: a wrong
 * type is a {@link ClassCastException} naming the cache, and {@code null} a {@link NullPointerException}.
 */
final class EntryTypes<K, V> {

  private final String cacheName;
  private final Configuration<K, V> configuration;

  EntryTypes(String cacheName, Configuration<K, V> configuration) {
    this.cacheName = requireNonNull(cacheName, "cacheName");
    this.configuration = requireNonNull(configuration, "configuration");
  }

  void requireKey(Object key) {
    requireNonNull(key, "a cache key cannot be null");
    Class<K> type = configuration.getKeyType();
    if (type != Object.class && !type.isInstance(key)) {
      throw new ClassCastException("cache '" + cacheName + "' takes keys of " + type.getName() + ", not "
          + key.getClass().getName());
    }
  }

  void requireValue(Object value) {
    requireNonNull(value, "a cache value cannot be null");
    Class<V> type = configuration.getValueType();
    if (type != Object.class && !type.isInstance(value)) {
      throw new ClassCastException("cache '" + cacheName + "' takes values of " + type.getName() + ", not "
          + value.getClass().getName());
    }
  }
}
