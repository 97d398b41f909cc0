package io.distcache.producer.config;

import io.distcache.producer.projection.FieldSelection;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.RebuildMode;
import io.distcache.protocol.settings.Setting;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a producer configuration file (Java properties) through {@link ProducerSettingsTable}, which holds every
 * key's default, parser and documentation (docs/producer.md's table is generated from it); this class adds the
 * checks that span keys. An unknown key is an error, so a typo cannot silently fall back to a default.
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

  private static final Pattern PROJECTION_KEY = Pattern.compile("projection\\[([A-Za-z0-9._-]+)]\\.(.+)");

  static final Set<String> TOP_LEVEL = keys(ProducerSettingsTable.TOP_LEVEL);
  static final Set<String> PROJECTION_KEYS = keys(ProducerSettingsTable.PROJECTION);

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
    Values values = new Values(source, "", top);
    return new ProducerSettings(kafka, redis, values.get(ProducerSettingsTable.REDIS_KEY_PREFIX),
        values.get(ProducerSettingsTable.HTTP_PORT), values.get(ProducerSettingsTable.HTTP_BIND_ADDRESS),
        values.get(ProducerSettingsTable.CHANGE_LOG_MAX_LENGTH),
        values.get(ProducerSettingsTable.CODEC_COMPRESSION_THRESHOLD),
        values.get(ProducerSettingsTable.PLUGIN_PATH), values.get(ProducerSettingsTable.WRITER_CLAIM_TIME), parsed);
  }

  private static RedisSettings redis(String source, Map<String, String> top) {
    Values values = new Values(source, "", top);
    String uri = values.get(ProducerSettingsTable.REDIS_URI);
    boolean cluster = values.get(ProducerSettingsTable.REDIS_CLUSTER);
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
    int replicaAcks = values.get(ProducerSettingsTable.REDIS_CLUSTER_REPLICA_ACKS);
    if (replicaAcks > 0 && !cluster) {
      throw new ProducerConfigurationException(source + ": 'redis.cluster.replica-acks' applies to Redis Cluster"
          + " only; set redis.cluster = true or remove it (a standalone master writes data and offsets in one script)");
    }
    String trustStore = values.get(ProducerSettingsTable.REDIS_TRUST_STORE);
    if (trustStore != null && !Files.isReadable(Path.of(trustStore))) {
      throw new ProducerConfigurationException(source + ": 'redis.tls.trust-store' = '" + trustStore + "' is not a"
          + " readable file; give the path of a JKS or PKCS12 trust store holding the CA of Redis's certificate");
    }
    return new RedisSettings(uri, cluster, replicaAcks, trustStore,
        values.get(ProducerSettingsTable.REDIS_TRUST_STORE_PASSWORD),
        values.get(ProducerSettingsTable.REDIS_CONNECT_TIMEOUT),
        values.get(ProducerSettingsTable.REDIS_COMMAND_TIMEOUT),
        values.get(ProducerSettingsTable.REDIS_ALLOW_ALLKEYS_EVICTION));
  }

  private static ProjectionSettings projection(String source, String name, Map<String, String> written) {
    Values values = new Values(source, "projection[" + name + "].", written);
    String topic = values.get(ProducerSettingsTable.TOPIC);
    if (topic == null || topic.isEmpty()) {
      throw new ProducerConfigurationException(source + ": '" + values.prefix() + "topic' is missing; name the"
          + " compacted topic this projection reads");
    }
    String namespace = values.get(ProducerSettingsTable.NAMESPACE, name);
    FieldSelection fields;
    try {
      fields = FieldSelection.parse(values.get(ProducerSettingsTable.FIELDS),
          values.get(ProducerSettingsTable.RENAMES));
    } catch (IllegalArgumentException e) {
      throw new ProducerConfigurationException(source + ": " + values.prefix() + "fields/renames: " + e.getMessage(),
          e);
    }
    return new ProjectionSettings(name, topic, namespace, values.get(ProducerSettingsTable.FORMAT),
        values.get(ProducerSettingsTable.KEY_TEMPLATE), fields,
        values.get(ProducerSettingsTable.BATCH_SIZE),
        values.get(ProducerSettingsTable.TRUNCATE), values.get(ProducerSettingsTable.DLQ_TOPIC),
        values.get(ProducerSettingsTable.MAX_VALUE_BYTES),
        values.get(ProducerSettingsTable.TOMBSTONE_TTL),
        values.get(ProducerSettingsTable.ON_OFFSET_REGRESSION),
        values.get(ProducerSettingsTable.VERSION),
        values.get(ProducerSettingsTable.REBUILD),
        values.get(ProducerSettingsTable.GROUP),
        new LinkedHashMap<>(written));
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

  private static Set<String> keys(List<Setting<?>> settings) {
    Set<String> keys = new LinkedHashSet<>();
    settings.forEach(setting -> keys.add(setting.key()));
    return Collections.unmodifiableSet(keys);
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

  /**
   * The values written for one scope of keys: the top level, or one projection's {@code projection[<name>].}.
   *
   * @param prefix what precedes the table's keys in the file, for messages
   */
  private record Values(String source, String prefix, Map<String, String> written) {

    /** The value of a setting, or its default when the file does not set it. */
    <T> T get(Setting<T> setting) {
      String text = written.get(setting.key());
      return text == null ? setting.defaultValue() : parse(setting, text);
    }

    /** The value of a setting, or that of {@code defaultText} when the file does not set it. */
    <T> T get(Setting<T> setting, String defaultText) {
      String text = written.get(setting.key());
      return parse(setting, text == null ? defaultText : text);
    }

    /**
     * The value of {@code text}. A refusal names the file, key and value, the value masked where it may hold a
     * password, and leaves the parser's exception out: a URI parser's message may quote the password.
     */
    private <T> T parse(Setting<T> setting, String text) {
      try {
        return setting.parse(text);
      } catch (IllegalArgumentException e) {
        String shown = setting.key().contains("password") ? "***" : RedisSettings.maskUri(text);
        throw new ProducerConfigurationException(source + ": '" + prefix + setting.key() + "' = '" + shown + "': "
            + e.getMessage());
      }
    }
  }
}
