package io.distcache.jcache.configuration;

import io.distcache.protocol.settings.Setting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration keys distcache understands and the rules that map them to system properties
 * and environment variables. Keys here never carry the optional {@code distcache.} prefix.
 */
final class ConfigKeys {

  /** Optional prefix of keys in files and property maps, mandatory for system properties. */
  static final String PREFIX = "distcache.";
  static final String ENV_PREFIX = "DISTCACHE_";
  static final String DEFAULTS = "defaults.";
  private static final String CACHE_OPEN = "cache[";
  private static final String CACHE_CLOSE = "].";

  /** The keys set once per CacheManager. */
  static final List<String> TOP_LEVEL = keys(SettingsTable.MANAGER);

  /** The settings of a cache, written {@code defaults.<setting>} or {@code cache[<name>].<setting>}. */
  static final List<String> CACHE_SETTINGS = keys(SettingsTable.CACHE);

  /** The cache settings {@code defaults.} may set: one namespace shared by all caches would mix their data. */
  static final List<String> DEFAULT_SETTINGS = SettingsTable.CACHE.stream()
      .filter(setting -> setting != SettingsTable.NAMESPACE).map(Setting::key).toList();

  /** Environment variable name to key, for the top-level and {@code defaults.} keys only. */
  static final Map<String, String> ENVIRONMENT_VARIABLES = environmentVariables();

  private ConfigKeys() {
  }

  private static List<String> keys(List<Setting<?>> settings) {
    return settings.stream().map(Setting::key).toList();
  }

  /** The key without the optional {@code distcache.} prefix. */
  static String stripPrefix(String key) {
    return key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
  }

  /** The key that sets {@code setting} for the cache {@code cacheName}. */
  static String cacheKey(String cacheName, String setting) {
    return CACHE_OPEN + cacheName + CACHE_CLOSE + setting;
  }

  /**
   * The cache name of a {@code cache[<name>].<setting>} key, or {@code null} for other keys. The name
   * ends at the last {@code "]."} because names may contain {@code .}, {@code ]} and spaces while
   * setting names never contain {@code ]}.
   */
  static String cacheName(String key) {
    int close = key.lastIndexOf(CACHE_CLOSE);
    return key.startsWith(CACHE_OPEN) && close >= CACHE_OPEN.length() ? key.substring(CACHE_OPEN.length(), close) : null;
  }

  /** Whether distcache reads this key. */
  static boolean isKnown(String key) {
    if (TOP_LEVEL.contains(key)) {
      return true;
    }
    if (key.startsWith(DEFAULTS)) {
      return DEFAULT_SETTINGS.contains(key.substring(DEFAULTS.length()));
    }
    String cacheName = cacheName(key);
    return cacheName != null && !cacheName.isEmpty()
        && CACHE_SETTINGS.contains(key.substring(CACHE_OPEN.length() + cacheName.length() + CACHE_CLOSE.length()));
  }

  /**
   * Whether an unprefixed key is clearly meant for distcache, so that a typo in it is reported
   * rather than ignored among a framework's own properties.
   */
  static boolean isScoped(String key) {
    return key.startsWith(DEFAULTS) || key.startsWith(CACHE_OPEN);
  }

  /**
   * Says what an unknown key was probably meant to be.
   *
   * @param key the unknown key, without the {@code distcache.} prefix
   * @param prefix the prefix the user wrote ({@code distcache.} or nothing), put on suggestions
   */
  static String hint(String key, String prefix) {
    if (key.equals(DEFAULTS + SettingsTable.NAMESPACE.key())) {
      return "namespace can only be set per cache, e.g. cache[users].namespace, because a shared"
          + " namespace would mix every cache's entries";
    }
    if (CACHE_SETTINGS.contains(key)) {
      return "cache settings need a scope: did you mean '" + prefix + DEFAULTS + key + "' or '" + prefix
          + cacheKey("<name>", key) + "'?";
    }
    String cacheName = cacheName(key);
    if (key.startsWith(CACHE_OPEN) && (cacheName == null || cacheName.isEmpty())) {
      return "cache keys look like cache[<cache name>].<setting>";
    }
    List<String> candidates = new ArrayList<>();
    if (cacheName != null) {
      CACHE_SETTINGS.forEach(setting -> candidates.add(cacheKey(cacheName, setting)));
    } else {
      candidates.addAll(TOP_LEVEL);
      DEFAULT_SETTINGS.forEach(setting -> candidates.add(DEFAULTS + setting));
    }
    String closest = Collections.min(candidates, (a, b) -> Integer.compare(distance(key, a), distance(key, b)));
    if (distance(key, closest) <= Math.max(2, closest.length() / 5)) {
      return "did you mean '" + prefix + closest + "'?";
    }
    return "expected one of " + String.join(", ", TOP_LEVEL) + ", " + DEFAULTS + "<setting> or "
        + cacheKey("<cache name>", "<setting>") + " where <setting> is one of " + String.join(", ", CACHE_SETTINGS);
  }

  /** The environment variable for a key: upper case, {@code .} and {@code -} as {@code _}. */
  static String environmentVariable(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Map<String, String> environmentVariables() {
    Map<String, String> variables = new LinkedHashMap<>();
    TOP_LEVEL.forEach(key -> variables.put(environmentVariable(key), key));
    DEFAULT_SETTINGS.forEach(setting -> variables.put(environmentVariable(DEFAULTS + setting), DEFAULTS + setting));
    return Collections.unmodifiableMap(variables);
  }

  /** Levenshtein distance, to suggest the key a typo was meant to be. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
