package io.distcache.jcache.event;

import static java.util.Objects.requireNonNull;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * The immutable {@link CacheEntryEvent} handed to listeners and filters.
 *
 * <p>A {@code null} old value means "not available": JCache forbids {@code null} values, so the
 * absence of an old value needs no separate flag. For {@link EventType#REMOVED} and
 * {@link EventType#EXPIRED} events the dispatcher passes the old value as {@code value} too, as
 * JSR-107 1.1 requires {@link #getValue()} to equal {@link #getOldValue()} for those types.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
final class EntryEvent<K, V> extends CacheEntryEvent<K, V> {

  private final K key;
  private final V value;
  private final V oldValue;

  /**
   * Creates an event.
   *
   * @param source the cache that originated the event
   * @param type the kind of mutation
   * @param key the key of the entry
   * @param value the value the entry holds after a creation or update, the removed or expired value
   *     otherwise; {@code null} when not available
   * @param oldValue the value before the mutation, {@code null} when not available
   */
  EntryEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue) {
    super(source, type);
    this.key = requireNonNull(key, "key");
    this.value = value;
    this.oldValue = oldValue;
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
  public V getOldValue() {
    return oldValue;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValue != null;
  }

  /**
   * Returns this event as any of the types it implements (e.g. {@link CacheEntryEvent} or
   * {@link Cache.Entry}); the class itself stays package-private, so there is nothing else to expose.
   *
   * @throws IllegalArgumentException if this event is not an instance of {@code clazz}
   */
  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("A cache entry event cannot be unwrapped to " + clazz.getName());
  }

  /** Names the type and key only: values may be large or sensitive, and this string ends up in logs. */
  @Override
  public String toString() {
    return "CacheEntryEvent{type=" + getEventType() + ", key=" + key + '}';
  }
}
