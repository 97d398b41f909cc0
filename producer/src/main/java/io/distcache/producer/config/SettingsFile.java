package io.distcache.producer.config;

import io.distcache.jcache.namespace.Namespace;
import io.distcache.producer.projection.FieldSelection;
import io.distcache.producer.projection.KeyTemplate;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.TruncateMode;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a producer configuration file (Java properties). Every key is documented in the producer
 * README; an unknown key is an error, so a typo cannot silently fall back to a default.
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
  private static final Set<String> TOP_LEVEL = Set.of("redis.uri", "redis.cluster", "redis.cluster.replica-acks", "redis.key-prefix", "http.port",
      "change-log.max-length", "codec.compression-threshold", "plugin.path");
  private static final Set<String> PROJECTION_KEYS = Set.of("topic", "namespace", "format", "key-template",
      "fields", "renames", "batch-size", "truncate", "dlq-topic", "max-value-bytes", "tombstone-ttl");

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
    Map<String, String> kafka = new LinkedHashMap<>();
    Map<String, Map<String, String>> projections = new LinkedHashMap<>();
    Map<String, String> top = new LinkedHashMap<>();
    for (String key : new java.util.TreeSet<>(properties.stringPropertyNames())) {
      String value = properties.getProperty(key).trim();
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
    String redisUri = top.get("redis.uri");
    if (redisUri == null || !(redisUri.startsWith("redis://") || redisUri.startsWith("rediss://"))) {
      throw new ProducerConfigurationException(source + ": 'redis.uri' must be a redis:// or rediss:// URI of the"
          + " Redis master, e.g. redis.uri = redis://redis.internal:6379");
    }
    boolean cluster = bool(source, "redis.cluster", top.get("redis.cluster"), false);
    if (cluster && database(source, redisUri) != 0) {
      throw new ProducerConfigurationException(source + ": 'redis.uri' selects database " + database(source, redisUri)
          + ", but with redis.cluster = true it names a Redis Cluster node, which has only database 0; remove the"
          + " /<db> part of the URI");
    }
    int replicaAcks = integer(source, "redis.cluster.replica-acks", top.get("redis.cluster.replica-acks"), 0, 0);
    if (replicaAcks > 0 && !cluster) {
      throw new ProducerConfigurationException(source + ": 'redis.cluster.replica-acks' applies to Redis Cluster"
          + " only; set redis.cluster = true or remove it (a standalone master writes data and offsets in one script)");
    }
    if (projections.isEmpty()) {
      throw new ProducerConfigurationException(source + ": no projection is configured; add at least"
          + " projection[<name>].topic and projection[<name>].namespace");
    }
    List<ProjectionSettings> parsed = new ArrayList<>();
    projections.forEach((name, values) -> parsed.add(projection(source, name, values)));
    List<Path> pluginPath = top.containsKey("plugin.path")
        ? Arrays.stream(top.get("plugin.path").split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList()
        : List.of();
    return new ProducerSettings(kafka, redisUri, cluster, replicaAcks, top.getOrDefault("redis.key-prefix", DEFAULT_KEY_PREFIX),
        integer(source, "http.port", top.get("http.port"), DEFAULT_HTTP_PORT, -1),
        integer(source, "change-log.max-length", top.get("change-log.max-length"), 100_000, 1),
        integer(source, "codec.compression-threshold", top.get("codec.compression-threshold"), 4096, 0),
        pluginPath, parsed);
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
    TruncateMode truncate;
    try {
      truncate = TruncateMode.valueOf(values.getOrDefault("truncate", "reject").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ProducerConfigurationException(source + ": '" + prefix + "truncate' must be clear or reject", e);
    }
    Map<String, String> options = new LinkedHashMap<>();
    values.forEach((key, value) -> options.put(key, value));
    return new ProjectionSettings(name, topic, namespace, values.getOrDefault("format", "json").toLowerCase(Locale.ROOT),
        template, fields,
        integer(source, prefix + "batch-size", values.get("batch-size"), 2000, 1),
        truncate, values.get("dlq-topic"),
        integer(source, prefix + "max-value-bytes", values.get("max-value-bytes"), 1024 * 1024, 1),
        duration(source, prefix + "tombstone-ttl", values.get("tombstone-ttl"), Duration.ofDays(1)),
        options);
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

  /** The database a URI selects; of a cluster's seed list ({@code redis://h1:7000,h2:7001/0}), the first seed's. */
  private static int database(String source, String redisUri) {
    try {
      return RedisURI.create(redisUri.replaceFirst("(://(?:[^@/]*@)?[^,/?#]+),[^/?#]*", "$1")).getDatabase();
    } catch (RuntimeException e) {
      throw new ProducerConfigurationException(source + ": 'redis.uri' = '" + ProducerSettings.maskUri(redisUri)
          + "' is not a valid Redis URI; write e.g. redis://user:password@host:6379", e);
    }
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

  /** Durations as ISO-8601 ({@code PT24H}) or a number with unit ms, s, m, h, d ({@code 1d}, {@code 500ms}). */
  static Duration duration(String source, String key, String value, Duration defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    try {
      if (value.startsWith("P") || value.startsWith("p")) {
        return Duration.parse(value);
      }
      Matcher matcher = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(value);
      if (!matcher.matches()) {
        throw new IllegalArgumentException("no unit");
      }
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } catch (RuntimeException e) {
      throw new ProducerConfigurationException(source + ": '" + key + "' = '" + value + "' is not a duration; write"
          + " e.g. 1d, 12h, 30m, 500ms or PT24H", e);
    }
  }

  private static Properties load(Reader reader) throws IOException {
    Properties properties = new Properties();
    properties.load(reader);
    return properties;
  }

  private static ProducerConfigurationException unknown(String source, String key, String expected) {
    return new ProducerConfigurationException(source + ": unknown key '" + key + "'; expected " + expected
        + " (see the producer README's configuration table)");
  }
}
