package io.distcache.spring.boot;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The {@code distcache.*} properties of a Spring environment as the provider will read them: names as written,
 * values resolved (placeholders included), the first property source that names a key winning as in the
 * environment.
 */
final class EnvironmentSettings {

  static final String PREFIX = "distcache.";
  private static final String CACHE_OPEN = PREFIX + "cache[";
  private static final String CACHE_CLOSE = "].";

  private EnvironmentSettings() {
  }

  /** Every {@code distcache.*} property, by name. */
  static Map<String, String> of(ConfigurableEnvironment environment) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          if (name.startsWith(PREFIX) && !settings.containsKey(name)) {
            settings.put(name, environment.getProperty(name, ""));
          }
        }
      }
    }
    return settings;
  }

  /**
   * The caches these settings declare, {@code distcache.cache[<name>].<setting>}: the CacheManager creates them
   * when it starts. The name runs to the last {@code ].}, as the provider reads it.
   */
  static Set<String> declaredCaches(Map<String, String> settings) {
    Set<String> names = new LinkedHashSet<>();
    for (String key : settings.keySet()) {
      int close = key.lastIndexOf(CACHE_CLOSE);
      if (key.startsWith(CACHE_OPEN) && close > CACHE_OPEN.length()) {
        names.add(key.substring(CACHE_OPEN.length(), close));
      }
    }
    return names;
  }
}
