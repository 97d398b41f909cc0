package io.distcache.jcache.configuration;

import io.distcache.protocol.settings.Setting;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The raw configuration values merged from every source, each remembering where it came from so
 * that a bad value can be reported with its source. Keys keep the position of their first
 * appearance, which is what orders the declared caches.
 */
final class SettingValues {

  private record Sourced(String value, String source) {
  }

  private final Map<String, Sourced> values = new LinkedHashMap<>();

  /** Sets a key, replacing a value from a lower-precedence source. */
  void put(String key, String value, String source) {
    values.put(key, new Sourced(value, source));
  }

  /** The source of a key's value, or {@code null} if no source set it. */
  String sourceOf(String key) {
    Sourced sourced = values.get(key);
    return sourced == null ? null : sourced.source();
  }

  /** The names of the caches declared by {@code cache[<name>].<setting>} keys, in declaration order. */
  Set<String> cacheNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String key : values.keySet()) {
      String name = ConfigKeys.cacheName(key);
      if (name != null) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * The parsed value of a key, or {@code fallback} if no source set it.
   *
   * @param parser turns the raw text into the value, throwing {@link IllegalArgumentException}
   *     with an "expected ..." message when it cannot
   * @throws ConfigurationException naming the key, the masked value and its source
   */
  <T> T get(String key, T fallback, Function<String, T> parser) {
    Sourced sourced = values.get(key);
    if (sourced == null) {
      return fallback;
    }
    try {
      return parser.apply(sourced.value());
    } catch (IllegalArgumentException e) {
      // The parser's exception is not chained: a Redis URI parser's message may quote the password.
      throw ConfigurationException.invalidValue(key, shown(key, sourced.value()), sourced.source(), e.getMessage());
    }
  }

  /**
   * The parsed value of a setting, or {@code fallback} if no source set it.
   *
   * @param key the setting's full key in its scope: {@code near.max-items}, {@code defaults.near.max-items},
   *     {@code cache[users].near.max-items}
   * @throws ConfigurationException naming the key, the masked value and its source
   */
  <T> T get(String key, Setting<T> setting, T fallback) {
    return get(key, fallback, setting::parse);
  }

  /** The value of a top-level setting, or its built-in default if no source set it. */
  <T> T get(Setting<T> setting) {
    return get(setting.key(), setting, setting.defaultValue());
  }

  private static String shown(String key, String value) {
    return key.equals(SettingsTable.REDIS_TRUST_STORE_PASSWORD.key()) ? RedisUris.MASK : RedisUris.mask(value);
  }
}
