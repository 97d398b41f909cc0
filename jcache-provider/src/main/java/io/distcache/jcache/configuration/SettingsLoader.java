package io.distcache.jcache.configuration;

import static io.distcache.jcache.configuration.ConfigKeys.CHANGE_LOG_MAX_LENGTH;
import static io.distcache.jcache.configuration.ConfigKeys.CODEC;
import static io.distcache.jcache.configuration.ConfigKeys.CODEC_ALLOWED_CLASSES;
import static io.distcache.jcache.configuration.ConfigKeys.CODEC_ALLOWED_PACKAGES;
import static io.distcache.jcache.configuration.ConfigKeys.CODEC_FORMAT;
import static io.distcache.jcache.configuration.ConfigKeys.CODEC_MAX_DECODED_SIZE;
import static io.distcache.jcache.configuration.ConfigKeys.CODEC_MAX_DEPTH;
import static io.distcache.jcache.configuration.ConfigKeys.CODEC_ON_UNDECODABLE;
import static io.distcache.jcache.configuration.ConfigKeys.COMMAND_TIMEOUT;
import static io.distcache.jcache.configuration.ConfigKeys.COMPRESSION_THRESHOLD;
import static io.distcache.jcache.configuration.ConfigKeys.CONTENTION_LEASE_TIME;
import static io.distcache.jcache.configuration.ConfigKeys.CONTENTION_LEASE_WAIT;
import static io.distcache.jcache.configuration.ConfigKeys.CONTENTION_MAX_ATTEMPTS;
import static io.distcache.jcache.configuration.ConfigKeys.CONTENTION_MAX_BACKOFF;
import static io.distcache.jcache.configuration.ConfigKeys.KEY_TYPE;
import static io.distcache.jcache.configuration.ConfigKeys.LEASE;
import static io.distcache.jcache.configuration.ConfigKeys.MANAGEMENT;
import static io.distcache.jcache.configuration.ConfigKeys.NAMESPACE;
import static io.distcache.jcache.configuration.ConfigKeys.NEAR_MAX_BYTES;
import static io.distcache.jcache.configuration.ConfigKeys.NEAR_MAX_ITEMS;
import static io.distcache.jcache.configuration.ConfigKeys.NEAR_MAX_TTL;
import static io.distcache.jcache.configuration.ConfigKeys.NEAR_NEGATIVE_CACHING;
import static io.distcache.jcache.configuration.ConfigKeys.NEAR_PRELOAD;
import static io.distcache.jcache.configuration.ConfigKeys.NEAR_PRELOAD_WAIT;
import static io.distcache.jcache.configuration.ConfigKeys.NEAR_SNAPSHOT_DIR;
import static io.distcache.jcache.configuration.ConfigKeys.NEAR_SNAPSHOT_INTERVAL;
import static io.distcache.jcache.configuration.ConfigKeys.OUTAGE_FAILURE_THRESHOLD;
import static io.distcache.jcache.configuration.ConfigKeys.OUTAGE_REPLICA_MAX_LAG;
import static io.distcache.jcache.configuration.ConfigKeys.OUTAGE_RETRY_INTERVAL;
import static io.distcache.jcache.configuration.ConfigKeys.OUTAGE_STALE_ON_FAILURE;
import static io.distcache.jcache.configuration.ConfigKeys.PREFIX;
import static io.distcache.jcache.configuration.ConfigKeys.READ_FROM;
import static io.distcache.jcache.configuration.ConfigKeys.REDIS_CLUSTER;
import static io.distcache.jcache.configuration.ConfigKeys.REDIS_CONNECT_TIMEOUT;
import static io.distcache.jcache.configuration.ConfigKeys.REDIS_KEY_PREFIX;
import static io.distcache.jcache.configuration.ConfigKeys.REDIS_REPLICAS;
import static io.distcache.jcache.configuration.ConfigKeys.REDIS_TRUST_STORE;
import static io.distcache.jcache.configuration.ConfigKeys.REDIS_TRUST_STORE_PASSWORD;
import static io.distcache.jcache.configuration.ConfigKeys.REDIS_URI;
import static io.distcache.jcache.configuration.ConfigKeys.STATISTICS;
import static io.distcache.jcache.configuration.ConfigKeys.STORE_BY_VALUE;
import static io.distcache.jcache.configuration.ConfigKeys.TRACKING_NAMESPACES;
import static io.distcache.jcache.configuration.ConfigKeys.VALUE_TYPE;

import io.distcache.protocol.codec.CodecFormat;
import io.distcache.protocol.codec.CodecLimits;
import io.distcache.protocol.settings.Quantities;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
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
      String overridden = values.sourceOf(REDIS_URI);
      if (overridden != null) {
        LOG.info("CacheManager URI {} takes precedence over redis.uri from {}", shownUri, overridden);
      }
      values.put(REDIS_URI, managerUri.toString(), "CacheManager URI " + shownUri);
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
    ProviderSettings builtIn = ProviderSettings.builtIn();
    CacheSettings defaults = cacheSettings(values, ConfigKeys.DEFAULTS::concat, builtIn.defaults());
    Map<String, CacheSettings> caches = new LinkedHashMap<>();
    for (String name : values.cacheNames()) {
      caches.put(name, cacheSettings(values, setting -> ConfigKeys.cacheKey(name, setting), defaults));
    }
    boolean cluster = values.get(REDIS_CLUSTER, builtIn.cluster(), ValueParsers::bool);
    String redisUri = values.get(REDIS_URI, builtIn.redisUri(),
        cluster ? ValueParsers::redisClusterUri : ValueParsers::redisUri);
    String trustStore = values.get(REDIS_TRUST_STORE, builtIn.trustStore(), ValueParsers::nonBlank);
    // Passwords are kept exactly as written: a blank in a secret is not ours to strip.
    String trustStorePassword = values.get(REDIS_TRUST_STORE_PASSWORD, builtIn.trustStorePassword(), Function.identity());
    if (trustStorePassword != null && trustStore == null) {
      throw new ConfigurationException("Configuration key " + REDIS_TRUST_STORE_PASSWORD + " is set (from "
          + values.sourceOf(REDIS_TRUST_STORE_PASSWORD) + ") but " + REDIS_TRUST_STORE
          + " is not. Set the trust store path as well, or remove the password.");
    }
    if (trustStore != null && !RedisUris.usesTls(redisUri)) {
      LOG.warn("{} is set (from {}) but Redis URI {} does not use TLS (rediss://); the trust store is unused",
          REDIS_TRUST_STORE, values.sourceOf(REDIS_TRUST_STORE), RedisUris.mask(redisUri));
    }
    return new ProviderSettings(source,
        redisUri,
        cluster,
        values.get(REDIS_REPLICAS, builtIn.replicaUris(), text -> ValueParsers.list(text, ValueParsers::redisNodeUri)),
        values.get(REDIS_KEY_PREFIX, builtIn.keyPrefix(), ValueParsers::keyPrefix),
        values.get(REDIS_CONNECT_TIMEOUT, builtIn.connectTimeout(), Quantities::positiveDuration),
        values.get(CHANGE_LOG_MAX_LENGTH, builtIn.changeLogMaxLength(), ValueParsers::positiveLong),
        values.get(CODEC_ALLOWED_PACKAGES, builtIn.allowedPackages(),
            text -> ValueParsers.list(text, ValueParsers::packageName)),
        values.get(CODEC_ALLOWED_CLASSES, builtIn.allowedClasses(),
            text -> ValueParsers.list(text, ValueParsers::className)),
        values.get(CODEC_ON_UNDECODABLE, builtIn.onUndecodable(), OnUndecodable::parse),
        new CodecLimits(
            values.get(CODEC_MAX_DEPTH, builtIn.codecLimits().maxDepth(),
                text -> (int) Math.min(Integer.MAX_VALUE, ValueParsers.positiveLong(text))),
            values.get(CODEC_MAX_DECODED_SIZE, builtIn.codecLimits().maxDecodedBytes(),
                SettingsLoader::positiveIntByteSize)),
        values.get(CODEC_FORMAT, builtIn.codecFormat(), CodecFormat::parse),
        trustStore,
        trustStorePassword,
        new OutageSettings(
            values.get(OUTAGE_STALE_ON_FAILURE, builtIn.outage().staleOnFailure(), Quantities::positiveDuration),
            values.get(OUTAGE_RETRY_INTERVAL, builtIn.outage().retryInterval(), Quantities::positiveDuration),
            values.get(OUTAGE_FAILURE_THRESHOLD, builtIn.outage().failureThreshold(),
                text -> (int) Math.min(Integer.MAX_VALUE, ValueParsers.positiveLong(text))),
            values.get(OUTAGE_REPLICA_MAX_LAG, builtIn.outage().replicaMaxLag(), Quantities::positiveDuration)),
        new ContentionSettings(
            values.get(CONTENTION_LEASE_TIME, builtIn.contention().leaseTime(), Quantities::positiveDuration),
            values.get(CONTENTION_LEASE_WAIT, builtIn.contention().leaseWait(), Quantities::positiveDuration),
            values.get(CONTENTION_MAX_ATTEMPTS, builtIn.contention().maxAttempts(),
                text -> (int) Math.min(Integer.MAX_VALUE, ValueParsers.positiveLong(text))),
            values.get(CONTENTION_MAX_BACKOFF, builtIn.contention().maxBackoff(), Quantities::positiveDuration)),
        values.get(TRACKING_NAMESPACES, builtIn.trackedNamespaces(),
            text -> ValueParsers.list(text, ValueParsers::namespace)),
        defaults,
        caches);
  }

  private static int positiveIntByteSize(String text) {
    int size = Quantities.intByteSize(text);
    if (size < 1) {
      throw new IllegalArgumentException("must be at least 1 byte");
    }
    return size;
  }

  /**
   * The settings of one scope ({@code defaults.} or one {@code cache[<name>].}) over {@code base}.
   *
   * @param keyOf the full key of a setting in this scope
   */
  private static CacheSettings cacheSettings(SettingValues values, UnaryOperator<String> keyOf, CacheSettings base) {
    return new CacheSettings(
        values.get(keyOf.apply(NAMESPACE), base.namespace(), ValueParsers::namespace),
        values.get(keyOf.apply(NEAR_MAX_ITEMS), base.nearMaxItems(), ValueParsers::nonNegativeLong),
        values.get(keyOf.apply(NEAR_MAX_BYTES), base.nearMaxBytes(), Quantities::byteSize),
        values.get(keyOf.apply(NEAR_MAX_TTL), base.nearMaxTtl(), Quantities::positiveDuration),
        values.get(keyOf.apply(READ_FROM), base.readFrom(), ReadFrom::parse),
        values.get(keyOf.apply(CODEC), base.codec(), ValueParsers::codec),
        values.get(keyOf.apply(COMPRESSION_THRESHOLD), base.compressionThreshold(), Quantities::intByteSize),
        values.get(keyOf.apply(COMMAND_TIMEOUT), base.commandTimeout(), Quantities::positiveDuration),
        values.get(keyOf.apply(STORE_BY_VALUE), base.storeByValue(), ValueParsers::bool),
        values.get(keyOf.apply(STATISTICS), base.statisticsEnabled(), ValueParsers::bool),
        values.get(keyOf.apply(MANAGEMENT), base.managementEnabled(), ValueParsers::bool),
        values.get(keyOf.apply(KEY_TYPE), base.keyType(), ValueParsers::className),
        values.get(keyOf.apply(VALUE_TYPE), base.valueType(), ValueParsers::className),
        values.get(keyOf.apply(LEASE), base.lease(), LeaseScope::parse),
        new NearOptions(
            values.get(keyOf.apply(NEAR_NEGATIVE_CACHING), base.near().negativeCaching(), NegativeCaching::parse),
            values.get(keyOf.apply(NEAR_PRELOAD), base.near().preload(), Preload::parse),
            values.get(keyOf.apply(NEAR_PRELOAD_WAIT), base.near().preloadWait(), Quantities::nonNegativeDuration),
            values.get(keyOf.apply(NEAR_SNAPSHOT_DIR), base.near().snapshotDir(), ValueParsers::directory),
            values.get(keyOf.apply(NEAR_SNAPSHOT_INTERVAL), base.near().snapshotInterval(),
                Quantities::positiveDuration)));
  }
}
