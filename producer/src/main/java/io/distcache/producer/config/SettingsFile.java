package io.distcache.producer.config;

import io.distcache.producer.projection.FieldSelection;
import io.distcache.producer.projection.KeyTemplate;
import io.distcache.producer.projection.OffsetRegressionPolicy;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.RebuildMode;
import io.distcache.producer.projection.TruncateMode;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.protocol.settings.Quantities;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a producer configuration file (Java properties). Every key is documented in
 * docs/producer.md; an unknown key is an error, so a typo cannot silently fall back to a default.
 *
 * <pre>
 * kafka.bootstrap.servers = broker:9092          # every kafka.* key goes to the Kafka clients
 * redis.uri               = redis://redis:6379
 * projection[users].topic     = core.users
 * projection[users].namespace = users
 * projection[users].format    = debezium
 * projection[users].key-template = user:{id}
 * </pre>
 */
public final class SettingsFile {

  /** The default {@code redis.key-prefix}, the same as the provider's. */
  public static final String DEFAULT_KEY_PREFIX = "dc";
  /** The default {@code http.port}. */
  public static final int DEFAULT_HTTP_PORT = 9400;

  private static final Pattern PROJECTION_KEY = Pattern.compile("projection\\[([A-Za-z0-9._-]+)]\\.(.+)");
  /** The default {@code http.bind-address}: every interface, as probes from outside the pod need. */
  public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";

  static final Set<String> TOP_LEVEL = Set.of("redis.uri", "redis.cluster", "redis.cluster.replica-acks",
      "redis.key-prefix", "redis.tls.trust-store", "redis.tls.trust-store-password", "redis.connect-timeout",
      "redis.command-timeout", "redis.allow-allkeys-eviction", "http.port", "http.bind-address",
      "change-log.max-length", "codec.compression-threshold", "plugin.path", "writer.claim-time");
  static final Set<String> PROJECTION_KEYS = Set.of("topic", "namespace", "format", "key-template",
      "fields", "renames", "batch-size", "truncate", "dlq-topic", "max-value-bytes", "tombstone-ttl",
      "on-offset-regression", "version", "rebuild", "group");

  private SettingsFile() {
  }

  /**
   * Reads a file.
   *
   * @throws ProducerConfigurationException when the file cannot be read or holds an invalid or unknown key
   */
  public static ProducerSettings read(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      return parse(load(reader), file.toString());
    } catch (IOException e) {
      throw new ProducerConfigurationException("Cannot read producer configuration " + file + ": " + e.getMessage()
          + "; pass an existing properties file with --config", e);
    }
  }

  /** Parses properties already loaded (tests and the demo build them in memory). */
  public static ProducerSettings parse(Properties properties, String source) {
    return parse(properties, source, System::getenv);
  }

  /**
   * Parses properties, resolving {@code ${env:NAME}} with {@code environment} and {@code ${file:...}}
   * from the file system.
   */
  static ProducerSettings parse(Properties properties, String source, UnaryOperator<String> environment) {
    ValueReferences references = new ValueReferences(source, environment);
    Map<String, String> kafka = new LinkedHashMap<>();
    Map<String, Map<String, String>> projections = new LinkedHashMap<>();
    Map<String, String> top = new LinkedHashMap<>();
    for (String key : new java.util.TreeSet<>(properties.stringPropertyNames())) {
      String value = references.resolve(key, properties.getProperty(key).trim());
      Matcher projection = PROJECTION_KEY.matcher(key);
      if (key.startsWith("kafka.")) {
        kafka.put(key.substring("kafka.".length()), value);
      } else if (projection.matches()) {
        if (!PROJECTION_KEYS.contains(projection.group(2))) {
          throw unknown(source, key, "projection[<name>]." + PROJECTION_KEYS);
        }
        projections.computeIfAbsent(projection.group(1), name -> new LinkedHashMap<>()).put(projection.group(2), value);
      } else if (TOP_LEVEL.contains(key)) {
        top.put(key, value);
      } else {
        throw unknown(source, key, "kafka.*, " + TOP_LEVEL + " or projection[<name>].*");
      }
    }
    if (!kafka.containsKey("bootstrap.servers")) {
      throw new ProducerConfigurationException(source + ": 'kafka.bootstrap.servers' is missing; set it to the"
          + " Kafka brokers, e.g. kafka.bootstrap.servers = broker1:9092,broker2:9092");
    }
    RedisSettings redis = redis(source, top);
    if (projections.isEmpty()) {
      throw new ProducerConfigurationException(source + ": no projection is configured; add at least"
          + " projection[<name>].topic and projection[<name>].namespace");
    }
    List<ProjectionSettings> parsed = new ArrayList<>();
    projections.forEach((name, values) -> parsed.add(projection(source, name, values)));
    parsed.forEach(projection -> refuseGroupWithout(source, projection, redis));
    List<Path> pluginPath = top.containsKey("plugin.path")
        ? Arrays.stream(top.get("plugin.path").split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList()
        : List.of();
    return new ProducerSettings(kafka, redis, top.getOrDefault("redis.key-prefix", DEFAULT_KEY_PREFIX),
        integer(source, "http.port", top.get("http.port"), DEFAULT_HTTP_PORT, -1),
        top.getOrDefault("http.bind-address", DEFAULT_BIND_ADDRESS),
        integer(source, "change-log.max-length", top.get("change-log.max-length"), 100_000, 1),
        size(source, "codec.compression-threshold", top.get("codec.compression-threshold"), 4096),
        pluginPath, claimTime(source, top.get("writer.claim-time")), parsed);
  }

  private static RedisSettings redis(String source, Map<String, String> top) {
    String uri = top.get("redis.uri");
    boolean cluster = bool(source, "redis.cluster", top.get("redis.cluster"), false);
    if (uri == null || !(uri.startsWith("redis://") || uri.startsWith("rediss://")
        || !cluster && (uri.startsWith("redis-sentinel://") || uri.startsWith("rediss-sentinel://")))) {
      throw new ProducerConfigurationException(source + ": 'redis.uri' must be a redis:// or rediss:// URI of the"
          + " Redis master (e.g. redis://redis.internal:6379), a redis-sentinel:// URI of its Sentinels with the"
          + " master's name (e.g. redis-sentinel://s1:26379,s2:26379#mymaster), or with redis.cluster = true the"
          + " seed nodes of a Redis Cluster");
    }
    boolean sentinel = uri.startsWith("redis-sentinel://") || uri.startsWith("rediss-sentinel://");
    if (sentinel && !uri.contains("#")) {
      throw new ProducerConfigurationException(source + ": 'redis.uri' names Sentinels but no master; end it with"
          + " #<master name>, e.g. redis-sentinel://s1:26379,s2:26379#mymaster");
    }
    RedisURI parsed = redisUri(source, uri);
    if (cluster && parsed.getDatabase() != 0) {
      throw new ProducerConfigurationException(source + ": 'redis.uri' selects database " + parsed.getDatabase()
          + ", but with redis.cluster = true it names a Redis Cluster node, which has only database 0; remove the"
          + " /<db> part of the URI");
    }
    int replicaAcks = integer(source, "redis.cluster.replica-acks", top.get("redis.cluster.replica-acks"), 0, 0);
    if (replicaAcks > 0 && !cluster) {
      throw new ProducerConfigurationException(source + ": 'redis.cluster.replica-acks' applies to Redis Cluster"
          + " only; set redis.cluster = true or remove it (a standalone master writes data and offsets in one script)");
    }
    String trustStore = top.get("redis.tls.trust-store");
    if (trustStore != null && !Files.isReadable(Path.of(trustStore))) {
      throw new ProducerConfigurationException(source + ": 'redis.tls.trust-store' = '" + trustStore + "' is not a"
          + " readable file; give the path of a JKS or PKCS12 trust store holding the CA of Redis's certificate");
    }
    return new RedisSettings(uri, cluster, replicaAcks, trustStore, top.get("redis.tls.trust-store-password"),
        duration(source, "redis.connect-timeout", top.get("redis.connect-timeout"), RedisSettings.DEFAULT_CONNECT_TIMEOUT),
        duration(source, "redis.command-timeout", top.get("redis.command-timeout"), RedisSettings.DEFAULT_COMMAND_TIMEOUT),
        bool(source, "redis.allow-allkeys-eviction", top.get("redis.allow-allkeys-eviction"), false));
  }

  private static ProjectionSettings projection(String source, String name, Map<String, String> values) {
    String prefix = "projection[" + name + "].";
    String topic = values.get("topic");
    if (topic == null || topic.isEmpty()) {
      throw new ProducerConfigurationException(source + ": '" + prefix + "topic' is missing; name the compacted"
          + " topic this projection reads");
    }
    String namespace = values.getOrDefault("namespace", name);
    try {
      Namespace.of(DEFAULT_KEY_PREFIX, namespace);
    } catch (IllegalArgumentException e) {
      throw new ProducerConfigurationException(source + ": '" + prefix + "namespace' = '" + namespace + "': "
          + e.getMessage(), e);
    }
    KeyTemplate template;
    FieldSelection fields;
    try {
      template = KeyTemplate.parse(values.getOrDefault("key-template", KeyTemplate.RAW_KEY));
      fields = FieldSelection.parse(values.getOrDefault("fields", ""), values.getOrDefault("renames", ""));
    } catch (IllegalArgumentException e) {
      throw new ProducerConfigurationException(source + ": " + prefix + "key-template/fields/renames: " + e.getMessage(), e);
    }
    Map<String, String> options = new LinkedHashMap<>();
    values.forEach((key, value) -> options.put(key, value));
    return new ProjectionSettings(name, topic, namespace, values.getOrDefault("format", "json").toLowerCase(Locale.ROOT),
        template, fields,
        integer(source, prefix + "batch-size", values.get("batch-size"), 2000, 1),
        choice(source, prefix + "truncate", values.get("truncate"), TruncateMode.REJECT), values.get("dlq-topic"),
        size(source, prefix + "max-value-bytes", values.get("max-value-bytes"), 1024 * 1024),
        duration(source, prefix + "tombstone-ttl", values.get("tombstone-ttl"), Duration.ofDays(1)),
        choice(source, prefix + "on-offset-regression", values.get("on-offset-regression"),
            OffsetRegressionPolicy.REBUILD),
        projectionVersion(source, prefix + "version", values.get("version")),
        choice(source, prefix + "rebuild", values.get("rebuild"), RebuildMode.BESIDE),
        group(source, prefix + "group", values.get("group")),
        options);
  }

  /**
   * A consumer group rebuilds its namespace into a fresh key space (the members of a group cannot build beside the
   * current generation together), which neither Redis Cluster's log-first batches nor edges that read only the
   * first key space follow.
   */
  private static void refuseGroupWithout(String source, ProjectionSettings projection, RedisSettings redis) {
    if (projection.group() == null) {
      return;
    }
    String prefix = "projection[" + projection.name() + "].";
    if (redis.cluster()) {
      throw new ProducerConfigurationException(source + ": '" + prefix + "group' does not work with redis.cluster"
          + " = true yet; run one instance with standbys (leave the group out) on Redis Cluster");
    }
    if (projection.rebuild() == RebuildMode.IN_PLACE) {
      throw new ProducerConfigurationException(source + ": '" + prefix + "group' rebuilds the namespace into a new"
          + " key space, which 'rebuild = in-place' is there to avoid; leave the group out while edges of a release"
          + " that reads only the first key space remain, or drop 'rebuild = in-place'");
    }
  }

  /** A consumer group id: 1 to 249 printable characters, {@code null} when not given. */
  private static String group(String source, String key, String value) {
    if (value == null) {
      return null;
    }
    if (!value.matches("[\\x21-\\x7e]{1,249}")) {
      throw new ProducerConfigurationException(source + ": '" + key + "' = '" + value + "' must be 1 to 249 printable"
          + " characters without spaces (a Kafka consumer group id, e.g. distcache-users); leave it out to run one"
          + " writer with standbys");
    }
    return value;
  }

  /** A projection version: 1 to 64 characters of {@code [A-Za-z0-9._-]}, {@code 1} when not given. */
  private static String projectionVersion(String source, String key, String value) {
    if (value == null) {
      return ProjectionSettings.FIRST_VERSION;
    }
    if (!value.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new ProducerConfigurationException(source + ": '" + key + "' = '" + value + "' must be 1 to 64 letters,"
          + " digits, '.', '_' or '-' (e.g. 2 or 2024-06-shipping-address); change it whenever the projection's"
          + " output changes, to rebuild the namespace beside the current one");
    }
    return value;
  }

  private static int integer(String source, String key, String value, int defaultValue, int min) {
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.replace("_", ""));
      if (parsed < min) {
        throw new NumberFormatException("below " + min);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ProducerConfigurationException(source + ": '" + key + "' = '" + value + "' is not an integer >= "
          + min, e);
    }
  }

  /** The URI parsed; of a cluster's seed list ({@code redis://h1:7000,h2:7001/0}), the first seed with the rest's path. */
  private static RedisURI redisUri(String source, String uri) {
    try {
      String first = uri.contains("-sentinel://") ? uri : uri.replaceFirst("(://(?:[^@/]*@)?[^,/?#]+),[^/?#]*", "$1");
      return RedisURI.create(first);
    } catch (RuntimeException e) {
      throw new ProducerConfigurationException(source + ": 'redis.uri' = '" + RedisSettings.maskUri(uri)
          + "' is not a valid Redis URI; write e.g. redis://user:password@host:6379", e);
    }
  }

  /** An enum constant written in lower case with dashes ({@code rebuild}, {@code fail}). */
  private static <E extends Enum<E>> E choice(String source, String key, String value, E defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    for (E constant : defaultValue.getDeclaringClass().getEnumConstants()) {
      if (name(constant).equals(value.toLowerCase(Locale.ROOT))) {
        return constant;
      }
    }
    throw new ProducerConfigurationException(source + ": '" + key + "' = '" + value + "' must be one of "
        + Arrays.stream(defaultValue.getDeclaringClass().getEnumConstants()).map(SettingsFile::name).toList());
  }

  private static String name(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Duration claimTime(String source, String value) {
    Duration claimTime = duration(source, "writer.claim-time", value, Duration.ofSeconds(10));
    if (claimTime.toMillis() < 400) {
      throw new ProducerConfigurationException(source + ": 'writer.claim-time' = '" + value + "' is too short; the"
          + " claim is renewed every quarter of it, so give it at least 400ms (default 10s)");
    }
    return claimTime;
  }

  private static boolean bool(String source, String key, String value, boolean defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ProducerConfigurationException(source + ": '" + key + "' = '" + value
          + "' must be true or false");
    };
  }

  /** A duration in the grammar the provider uses too ({@link Quantities}): {@code 500ms}, {@code 10s}, {@code PT1H}. */
  static Duration duration(String source, String key, String value, Duration defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    try {
      return Quantities.positiveDuration(value);
    } catch (IllegalArgumentException e) {
      throw new ProducerConfigurationException(source + ": '" + key + "' = '" + value + "': " + e.getMessage(), e);
    }
  }

  /** A size in bytes in the grammar the provider uses too ({@link Quantities}): {@code 4096}, {@code 64KiB}, {@code 1MB}. */
  private static int size(String source, String key, String value, int defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    try {
      return Quantities.intByteSize(value);
    } catch (IllegalArgumentException e) {
      throw new ProducerConfigurationException(source + ": '" + key + "' = '" + value + "': " + e.getMessage(), e);
    }
  }

  private static Properties load(Reader reader) throws IOException {
    Properties properties = new Properties();
    properties.load(reader);
    return properties;
  }

  private static ProducerConfigurationException unknown(String source, String key, String expected) {
    return new ProducerConfigurationException(source + ": unknown key '" + key + "'; expected " + expected
        + " (see the configuration table of docs/producer.md)");
  }
}
