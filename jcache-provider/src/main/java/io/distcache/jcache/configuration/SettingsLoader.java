package io.distcache.jcache.configuration;

import static io.distcache.jcache.configuration.ConfigKeys.PREFIX;
import static io.distcache.jcache.configuration.SettingsTable.REDIS_CLUSTER;
import static io.distcache.jcache.configuration.SettingsTable.REDIS_TRUST_STORE;
import static io.distcache.jcache.configuration.SettingsTable.REDIS_TRUST_STORE_PASSWORD;
import static io.distcache.jcache.configuration.SettingsTable.REDIS_URI;

import io.distcache.protocol.codec.CodecLimits;
import io.distcache.protocol.settings.Setting;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the {@link ProviderSettings} of a CacheManager from its URI, its properties, the
 * environment and the system properties.
 *
 * <p>Sources, highest precedence first:
 * <ol>
 *   <li>system properties {@code distcache.<key>}, e.g. {@code -Ddistcache.cache[users].near.max-items=5};
 *       an unknown {@code distcache.*} property is an error;</li>
 *   <li>environment variables {@code DISTCACHE_<KEY>} for top-level and {@code defaults.} keys, the key
 *       upper-cased with {@code .} and {@code -} as {@code _} (e.g. {@code DISTCACHE_REDIS_URI},
 *       {@code DISTCACHE_DEFAULTS_NEAR_MAX_ITEMS}); other {@code DISTCACHE_*} variables are ignored
 *       because other tools share the prefix;</li>
 *   <li>the properties passed to {@code getCacheManager}, keys with or without {@code distcache.};
 *       unrelated keys are ignored because frameworks pass their own, but an unknown key that starts
 *       with {@code distcache.}, {@code defaults.} or {@code cache[} is an error;</li>
 *   <li>the configuration file (every key must be known);</li>
 *   <li>the built-in defaults ({@link ProviderSettings#builtIn()}).</li>
 * </ol>
 * A {@code redis://}, {@code rediss://} or {@code redis-sentinel://} CacheManager URI sets
 * {@code redis.uri} above all of them: two managers with different URIs must reach different servers.
 */
public final class SettingsLoader {

  /** The URI of the default configuration: the optional classpath resource {@code distcache.properties}. */
  public static final URI DEFAULT_URI = URI.create("classpath:" + ConfigFile.DEFAULT_RESOURCE);

  private static final String PROPERTIES_SOURCE = "the properties passed to getCacheManager";
  private static final Logger LOG = LoggerFactory.getLogger(SettingsLoader.class);

  private SettingsLoader() {
  }

  /**
   * Resolves the settings for a CacheManager URI.
   *
   * <p>The URI selects the configuration file: {@code null} or {@link #DEFAULT_URI} reads the classpath
   * resource {@code distcache.properties} if present; {@code file:} reads that file and
   * {@code classpath:<resource>} that resource, both of which must exist; a Redis URI reads the default
   * resource and connects to that Redis; any other URI (e.g. {@code cacheManager1}) only names a
   * distinct manager and reads the default resource.
   *
   * @param uri the CacheManager URI; {@code null} means {@link #DEFAULT_URI}
   * @param classLoader the loader of classpath resources; {@code null} means the thread's context
   *     class loader, else this class's loader
   * @param properties the properties passed to {@code getCacheManager}; {@code null} means none
   * @param environment the environment variables, normally {@code System.getenv()}; {@code null} means none
   * @param systemProperties the system properties, normally {@code System.getProperties()}; {@code null} means none
   * @return the resolved settings
   * @throws ConfigurationException naming the key, value and source of the first problem found
   */
  public static ProviderSettings load(URI uri, ClassLoader classLoader, Properties properties,
      Map<String, String> environment, Properties systemProperties) {
    URI managerUri = uri == null ? DEFAULT_URI : uri;
    Optional<ConfigFile> file = ConfigFile.forUri(managerUri, classLoaderOrDefault(classLoader));
    SettingValues values = new SettingValues();
    // The sources that set something, for messages: a Redis CacheManager URI first, then the
    // others from lowest to highest precedence.
    List<String> sources = new ArrayList<>();
    file.ifPresent(configFile -> {
      addFile(values, configFile);
      sources.add(configFile.description());
    });
    if (properties != null && addProperties(values, properties)) {
      sources.add(PROPERTIES_SOURCE);
    }
    if (environment != null && addEnvironment(values, environment)) {
      sources.add("environment variables");
    }
    if (systemProperties != null && addSystemProperties(values, systemProperties)) {
      sources.add("system properties");
    }
    if (RedisUris.isRedisScheme(managerUri.getScheme())) {
      String shownUri = RedisUris.mask(managerUri.toString());
      String overridden = values.sourceOf(REDIS_URI.key());
      if (overridden != null) {
        LOG.info("CacheManager URI {} takes precedence over redis.uri from {}", shownUri, overridden);
      }
      values.put(REDIS_URI.key(), managerUri.toString(), "CacheManager URI " + shownUri);
      sources.add(0, "CacheManager URI " + shownUri);
    }
    String source = sources.isEmpty() ? ProviderSettings.builtIn().source() : String.join(" + ", sources);
    ProviderSettings settings = assemble(source, values);
    LOG.info("distcache settings from {}: Redis {}, {} declared cache(s)", source, settings.redisUriForDisplay(),
        settings.caches().size());
    LOG.debug("Resolved {}", settings);
    return settings;
  }

  private static ClassLoader classLoaderOrDefault(ClassLoader classLoader) {
    if (classLoader != null) {
      return classLoader;
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : SettingsLoader.class.getClassLoader();
  }

  private static void addFile(SettingValues values, ConfigFile file) {
    file.entries().forEach((name, value) -> {
      String key = ConfigKeys.stripPrefix(name);
      if (!ConfigKeys.isKnown(key)) {
        throw unknownKey(name, key, file.description());
      }
      values.put(key, value, file.description());
    });
  }

  /** Adds the distcache keys of the {@code getCacheManager} properties; returns whether there were any. */
  private static boolean addProperties(SettingValues values, Properties properties) {
    boolean added = false;
    for (Map.Entry<String, String> entry : entries(properties).entrySet()) {
      String name = entry.getKey();
      String key = ConfigKeys.stripPrefix(name);
      if (ConfigKeys.isKnown(key)) {
        values.put(key, entry.getValue(), PROPERTIES_SOURCE);
        added = true;
      } else if (name.startsWith(PREFIX) || ConfigKeys.isScoped(key)) {
        throw unknownKey(name, key, PROPERTIES_SOURCE);
      } else {
        LOG.debug("Ignoring property {} passed to getCacheManager: not a distcache key", name);
      }
    }
    return added;
  }

  /** Adds the {@code DISTCACHE_*} variables that name a key; returns whether there were any. */
  private static boolean addEnvironment(SettingValues values, Map<String, String> environment) {
    boolean added = false;
    for (Map.Entry<String, String> entry : new TreeMap<>(environment).entrySet()) {
      String name = entry.getKey();
      String key = ConfigKeys.ENVIRONMENT_VARIABLES.get(name);
      if (key != null) {
        values.put(key, entry.getValue(), "environment variable " + name);
        added = true;
      } else if (name.startsWith(ConfigKeys.ENV_PREFIX)) {
        LOG.debug("Ignoring environment variable {}: it names no distcache setting", name);
      }
    }
    return added;
  }

  /** Adds the {@code distcache.*} system properties; returns whether there were any. */
  private static boolean addSystemProperties(SettingValues values, Properties systemProperties) {
    boolean added = false;
    for (Map.Entry<String, String> entry : entries(systemProperties).entrySet()) {
      String name = entry.getKey();
      if (name.startsWith(PREFIX)) {
        String key = ConfigKeys.stripPrefix(name);
        String source = "system property " + name;
        if (!ConfigKeys.isKnown(key)) {
          throw unknownKey(name, key, source);
        }
        values.put(key, entry.getValue(), source);
        added = true;
      }
    }
    return added;
  }

  /**
   * The string entries of a {@link Properties}, its defaults included, sorted so that caches declared
   * there are created in a stable order. Values that are not strings (frameworks put numbers and
   * booleans in property maps) are taken by {@code toString()}.
   */
  private static Map<String, String> entries(Properties properties) {
    Map<String, String> entries = new TreeMap<>();
    properties.stringPropertyNames().forEach(name -> entries.put(name, properties.getProperty(name)));
    properties.forEach((name, value) -> {
      if (name instanceof String key && value != null) {
        entries.putIfAbsent(key, value.toString());
      }
    });
    return entries;
  }

  private static ConfigurationException unknownKey(String name, String key, String source) {
    return ConfigurationException.unknownKey(name, source, ConfigKeys.hint(key, name.startsWith(PREFIX) ? PREFIX : ""));
  }

  private static ProviderSettings assemble(String source, SettingValues values) {
    CacheSettings defaults = cacheSettings(values, ConfigKeys.DEFAULTS::concat, CacheSettings.defaults());
    Map<String, CacheSettings> caches = new LinkedHashMap<>();
    for (String name : values.cacheNames()) {
      caches.put(name, cacheSettings(values, setting -> ConfigKeys.cacheKey(name, setting), defaults));
    }
    boolean cluster = values.get(REDIS_CLUSTER);
    String redisUri = values.get(REDIS_URI.key(), REDIS_URI.defaultValue(),
        cluster ? ValueParsers::redisClusterUri : ValueParsers::redisUri);
    String trustStore = values.get(REDIS_TRUST_STORE);
    // Passwords are kept exactly as written (the setting's parser is the identity): a blank in a secret is not
    // ours to strip.
    String trustStorePassword = values.get(REDIS_TRUST_STORE_PASSWORD);
    if (trustStorePassword != null && trustStore == null) {
      throw new ConfigurationException("Configuration key " + REDIS_TRUST_STORE_PASSWORD.key() + " is set (from "
          + values.sourceOf(REDIS_TRUST_STORE_PASSWORD.key()) + ") but " + REDIS_TRUST_STORE.key()
          + " is not. Set the trust store path as well, or remove the password.");
    }
    if (trustStore != null && !RedisUris.usesTls(redisUri)) {
      LOG.warn("{} is set (from {}) but Redis URI {} does not use TLS (rediss://); the trust store is unused",
          REDIS_TRUST_STORE.key(), values.sourceOf(REDIS_TRUST_STORE.key()), RedisUris.mask(redisUri));
    }
    return new ProviderSettings(source,
        redisUri,
        cluster,
        values.get(SettingsTable.REDIS_REPLICAS),
        values.get(SettingsTable.REDIS_KEY_PREFIX),
        values.get(SettingsTable.REDIS_CONNECT_TIMEOUT),
        values.get(SettingsTable.CHANGE_LOG_MAX_LENGTH),
        values.get(SettingsTable.CODEC_ALLOWED_PACKAGES),
        values.get(SettingsTable.CODEC_ALLOWED_CLASSES),
        values.get(SettingsTable.CODEC_ON_UNDECODABLE),
        new CodecLimits(values.get(SettingsTable.CODEC_MAX_DEPTH), values.get(SettingsTable.CODEC_MAX_DECODED_SIZE)),
        values.get(SettingsTable.CODEC_FORMAT),
        trustStore,
        trustStorePassword,
        new OutageSettings(
            values.get(SettingsTable.OUTAGE_STALE_ON_FAILURE),
            values.get(SettingsTable.OUTAGE_RETRY_INTERVAL),
            values.get(SettingsTable.OUTAGE_FAILURE_THRESHOLD),
            values.get(SettingsTable.OUTAGE_REPLICA_MAX_LAG)),
        new ContentionSettings(
            values.get(SettingsTable.CONTENTION_LEASE_TIME),
            values.get(SettingsTable.CONTENTION_LEASE_WAIT),
            values.get(SettingsTable.CONTENTION_MAX_ATTEMPTS),
            values.get(SettingsTable.CONTENTION_MAX_BACKOFF)),
        values.get(SettingsTable.TRACKING_NAMESPACES),
        defaults,
        caches);
  }

  /**
   * The settings of one scope ({@code defaults.} or one {@code cache[<name>].}) over {@code base}.
   *
   * @param keyOf the full key of a setting in this scope
   */
  private static CacheSettings cacheSettings(SettingValues values, UnaryOperator<String> keyOf, CacheSettings base) {
    Scoped in = new Scoped(values, keyOf);
    NearOptions near = base.near();
    return new CacheSettings(
        in.get(SettingsTable.NAMESPACE, base.namespace()),
        in.get(SettingsTable.NEAR_MAX_ITEMS, base.nearMaxItems()),
        in.get(SettingsTable.NEAR_MAX_BYTES, base.nearMaxBytes()),
        in.get(SettingsTable.NEAR_MAX_TTL, base.nearMaxTtl()),
        in.get(SettingsTable.READ_FROM, base.readFrom()),
        in.get(SettingsTable.CODEC, base.codec()),
        in.get(SettingsTable.COMPRESSION_THRESHOLD, base.compressionThreshold()),
        in.get(SettingsTable.COMMAND_TIMEOUT, base.commandTimeout()),
        in.get(SettingsTable.STORE_BY_VALUE, base.storeByValue()),
        in.get(SettingsTable.STATISTICS, base.statisticsEnabled()),
        in.get(SettingsTable.MANAGEMENT, base.managementEnabled()),
        in.get(SettingsTable.KEY_TYPE, base.keyType()),
        in.get(SettingsTable.VALUE_TYPE, base.valueType()),
        in.get(SettingsTable.LEASE, base.lease()),
        new NearOptions(
            in.get(SettingsTable.NEAR_NEGATIVE_CACHING, near.negativeCaching()),
            in.get(SettingsTable.NEAR_PRELOAD, near.preload()),
            in.get(SettingsTable.NEAR_PRELOAD_WAIT, near.preloadWait()),
            in.get(SettingsTable.NEAR_SNAPSHOT_DIR, near.snapshotDir()),
            in.get(SettingsTable.NEAR_SNAPSHOT_INTERVAL, near.snapshotInterval())));
  }

  /** The values of one scope's keys. */
  private record Scoped(SettingValues values, UnaryOperator<String> keyOf) {
    <T> T get(Setting<T> setting, T base) {
      return values.get(keyOf.apply(setting.key()), setting, base);
    }
  }
}
