package io.distcache.connect;

import io.distcache.producer.config.ProducerConfigurationException;
import io.distcache.producer.config.ProducerSettings;
import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.TruncateMode;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads a connector's configuration as the producer's settings file: the same {@code redis.*},
 * {@code projection[<name>].*} and other keys, so one projection moves between the jar and Connect unchanged.
 * Connect's own keys ({@code topics}, {@code tasks.max}, {@code errors.*}, converters) stay Connect's.
 */
final class ConnectorSettings {

  /** The prefixes of the producer's keys that apply in a connector. */
  private static final Set<String> PRODUCER_PREFIXES = Set.of("redis.", "projection[", "change-log.", "codec.",
      "writer.", "plugin.");

  /** What a connector does instead of the producer settings it refuses. */
  private static final Map<String, String> CONNECT_INSTEAD = Map.of(
      "dlq-topic", "rejected records go to Connect's error reporter (errors.deadletterqueue.topic.name)",
      "on-offset-regression", "the connector does not check the topic's offsets against what it stored (see"
          + " docs/kafka-connect.md); run the producer jar where that matters",
      "rebuild", "a connector rebuilds into a new key space, which edges read as it fills");

  private ConnectorSettings() {
  }

  /**
   * The producer settings of a connector's configuration: one projection, of the one topic in {@code topics}
   * unless it names its own.
   *
   * @throws ConfigException naming the key at fault, as Connect reports configuration errors
   */
  static ProducerSettings parse(Map<String, String> config) {
    String name = config.getOrDefault("name", "distcache");
    Properties props = new Properties();
    config.forEach((key, value) -> {
      if (PRODUCER_PREFIXES.stream().anyMatch(key::startsWith)) {
        props.setProperty(key, value);
      }
    });
    // Connect's worker reads the topic: the producer's own Kafka clients and HTTP server are not used here
    props.setProperty("kafka.bootstrap.servers", "unused-in-kafka-connect:9092");
    props.setProperty("http.port", "-1");
    if (config.containsKey("topics.regex")) {
      throw new ConfigException("topics.regex", config.get("topics.regex"), "a distcache connector projects exactly"
          + " one topic, named in 'topics': the offsets stored in its namespace are per partition of that topic");
    }
    String projection = props.stringPropertyNames().stream().filter(key -> key.startsWith("projection[")
        && key.indexOf(']') > 0).map(key -> key.substring("projection[".length(), key.indexOf(']'))).findFirst()
        .orElse(name);
    String topicKey = "projection[" + projection + "].topic";
    if (!props.containsKey(topicKey)) {
      props.setProperty(topicKey, onlyTopic(config));
    }
    ProducerSettings settings;
    try {
      settings = SettingsFile.parse(props, "connector " + name);
    } catch (ProducerConfigurationException e) {
      throw new ConfigException(e.getMessage());
    }
    List<ProjectionSettings> projections = settings.projections();
    if (projections.size() != 1) {
      throw new ConfigException("connector " + name + " configures " + projections.size() + " projections; a"
          + " connector writes one (run one connector per projection)");
    }
    ProjectionSettings only = projections.get(0);
    if (only.group() != null) {
      throw new ConfigException("connector " + name + ": 'projection[" + only.name() + "].group' does not apply:"
          + " Kafka Connect shares the partitions among the connector's tasks itself");
    }
    for (String ignored : List.of("dlq-topic", "on-offset-regression", "rebuild")) {
      if (props.containsKey("projection[" + only.name() + "]." + ignored)) {
        throw new ConfigException("connector " + name + ": 'projection[" + only.name() + "]." + ignored + "' does not"
            + " apply to the connector: " + CONNECT_INSTEAD.get(ignored));
      }
    }
    if (settings.redis().cluster()) {
      throw new ConfigException("connector " + name + ": redis.cluster = true is not supported by the connector yet"
          + " (a rebuild moves the namespace to a new key space, which Redis Cluster's batches do not follow); run"
          + " the producer jar on Redis Cluster");
    }
    if (only.truncate() == TruncateMode.CLEAR) {
      throw new ConfigException("connector " + name + ": 'projection[" + only.name() + "].truncate' = clear is not"
          + " supported by the connector yet; use reject (truncates go to the error reporter) or the producer jar");
    }
    if (config.containsKey("topics") && !config.get("topics").trim().equals(only.topic())) {
      throw new ConfigException("connector " + name + ": 'topics' = '" + config.get("topics") + "' but projection["
          + only.name() + "].topic = '" + only.topic() + "'; name the one topic once, in 'topics'");
    }
    return settings;
  }

  private static String onlyTopic(Map<String, String> config) {
    String topics = config.getOrDefault("topics", "").trim();
    if (topics.isEmpty() || topics.contains(",")) {
      throw new ConfigException("topics", topics, "a distcache connector projects exactly one topic into its"
          + " namespace; name it in 'topics' (run one connector per topic)");
    }
    return topics;
  }
}
