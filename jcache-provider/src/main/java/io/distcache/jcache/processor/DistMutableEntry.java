package io.distcache.jcache.processor;

import java.util.Objects;
import java.util.function.Function;
import javax.cache.processor.MutableEntry;

/**
 * The entry an {@link javax.cache.processor.EntryProcessor} works on. It records what the
 * processor did so the cache can apply it as one atomic write afterwards; the processor itself
 * always runs in this JVM and is never serialized.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class DistMutableEntry<K, V> implements MutableEntry<K, V> {

  /** What the processor did to the entry. */
  public enum Action {
    /** Nothing observable. */
    NONE,
    /** Read an existing value. */
    READ,
    /** Read a value through the loader. */
    LOADED,
    /** Set a value where none existed. */
    CREATED,
    /** Replaced an existing value. */
    UPDATED,
    /** Removed the entry. */
    DELETED
  }

  private final K key;
  private final Function<K, V> loader;
  private V value;
  private Action action = Action.NONE;

  /**
   * Creates the entry.
   *
   * @param value the current value, {@code null} when absent
   * @param loader read-through loader, {@code null} when read-through is off
   */
  public DistMutableEntry(K key, V value, Function<K, V> loader) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = value;
    this.loader = loader;
  }

  /** What the processor did. */
  public Action action() {
    return action;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (action != Action.NONE) {
      return value;
    }
    if (value != null) {
      action = Action.READ;
    } else if (loader != null) {
      value = loader.apply(key);
      if (value != null) {
        action = Action.LOADED;
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    return value != null;
  }

  @Override
  public void remove() {
    action = action == Action.CREATED || action == Action.LOADED ? Action.NONE : Action.DELETED;
    value = null;
  }

  @Override
  public void setValue(V newValue) {
    Objects.requireNonNull(newValue, "an EntryProcessor cannot set a null value");
    if (action != Action.CREATED) {
      action = exists() && action != Action.LOADED ? Action.UPDATED : Action.CREATED;
    }
    value = newValue;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("a mutable entry cannot be unwrapped to " + clazz.getName());
  }
}
