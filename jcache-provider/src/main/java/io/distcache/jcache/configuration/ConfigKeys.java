package io.distcache.jcache.configuration;

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

  static final String REDIS_URI = "redis.uri";
  static final String REDIS_REPLICAS = "redis.replicas";
  static final String REDIS_CLUSTER = "redis.cluster";
  static final String REDIS_KEY_PREFIX = "redis.key-prefix";
  static final String REDIS_CONNECT_TIMEOUT = "redis.connect-timeout";
  static final String REDIS_TRUST_STORE = "redis.tls.trust-store";
  static final String REDIS_TRUST_STORE_PASSWORD = "redis.tls.trust-store-password";
  static final String CHANGE_LOG_MAX_LENGTH = "change-log.max-length";
  static final String OUTAGE_STALE_ON_FAILURE = "outage.stale-on-failure";
  static final String OUTAGE_RETRY_INTERVAL = "outage.retry-interval";
  static final String OUTAGE_FAILURE_THRESHOLD = "outage.failure-threshold";
  static final String OUTAGE_REPLICA_MAX_LAG = "outage.replica-max-lag";
  static final String CONTENTION_LEASE_TIME = "contention.lease-time";
  static final String CONTENTION_LEASE_WAIT = "contention.lease-wait";
  static final String CONTENTION_MAX_ATTEMPTS = "contention.max-attempts";
  static final String CONTENTION_MAX_BACKOFF = "contention.max-backoff";
  static final String TRACKING_NAMESPACES = "tracking.namespaces";
  static final String CODEC_ALLOWED_PACKAGES = "codec.allowed-packages";
  static final String CODEC_ALLOWED_CLASSES = "codec.allowed-classes";
  static final String CODEC_ON_UNDECODABLE = "codec.on-undecodable";
  static final String CODEC_MAX_DEPTH = "codec.max-depth";
  static final String CODEC_MAX_DECODED_SIZE = "codec.max-decoded-size";
  static final String CODEC_FORMAT = "codec.format";

  static final String NAMESPACE = "namespace";
  static final String NEAR_MAX_ITEMS = "near.max-items";
  static final String NEAR_MAX_BYTES = "near.max-bytes";
  static final String NEAR_MAX_TTL = "near.max-ttl";
  static final String NEAR_NEGATIVE_CACHING = "near.negative-caching";
  static final String NEAR_PRELOAD = "near.preload";
  static final String NEAR_PRELOAD_WAIT = "near.preload-wait";
  static final String NEAR_SNAPSHOT_DIR = "near.snapshot-dir";
  static final String NEAR_SNAPSHOT_INTERVAL = "near.snapshot-interval";
  static final String READ_FROM = "read-from";
  static final String CODEC = "codec";
  static final String COMPRESSION_THRESHOLD = "compression-threshold";
  static final String COMMAND_TIMEOUT = "command-timeout";
  static final String STORE_BY_VALUE = "store-by-value";
  static final String STATISTICS = "statistics";
  static final String MANAGEMENT = "management";
  static final String KEY_TYPE = "key-type";
  static final String VALUE_TYPE = "value-type";
  static final String LEASE = "lease";

  static final List<String> TOP_LEVEL = List.of(REDIS_URI, REDIS_CLUSTER, REDIS_REPLICAS, REDIS_KEY_PREFIX,
      REDIS_CONNECT_TIMEOUT, REDIS_TRUST_STORE, REDIS_TRUST_STORE_PASSWORD, CHANGE_LOG_MAX_LENGTH,
      OUTAGE_STALE_ON_FAILURE, OUTAGE_RETRY_INTERVAL, OUTAGE_FAILURE_THRESHOLD, OUTAGE_REPLICA_MAX_LAG,
      CONTENTION_LEASE_TIME, CONTENTION_LEASE_WAIT, CONTENTION_MAX_ATTEMPTS, CONTENTION_MAX_BACKOFF,
      TRACKING_NAMESPACES,
      CODEC_ALLOWED_PACKAGES, CODEC_ALLOWED_CLASSES, CODEC_ON_UNDECODABLE,
      CODEC_MAX_DEPTH, CODEC_MAX_DECODED_SIZE, CODEC_FORMAT);

  static final List<String> CACHE_SETTINGS = List.of(NAMESPACE, NEAR_MAX_ITEMS, NEAR_MAX_BYTES, NEAR_MAX_TTL,
      NEAR_NEGATIVE_CACHING, NEAR_PRELOAD, NEAR_PRELOAD_WAIT, NEAR_SNAPSHOT_DIR, NEAR_SNAPSHOT_INTERVAL, READ_FROM,
      CODEC, COMPRESSION_THRESHOLD, COMMAND_TIMEOUT, STORE_BY_VALUE, STATISTICS, MANAGEMENT, KEY_TYPE, VALUE_TYPE,
      LEASE);

  /** Every cache setting except {@code namespace}: one namespace shared by all caches would mix their data. */
  static final List<String> DEFAULT_SETTINGS = CACHE_SETTINGS.stream().filter(setting -> !setting.equals(NAMESPACE)).toList();

  /** Environment variable name to key, for the top-level and {@code defaults.} keys only. */
  static final Map<String, String> ENVIRONMENT_VARIABLES = environmentVariables();

  private ConfigKeys() {
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
    if (key.equals(DEFAULTS + NAMESPACE)) {
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
