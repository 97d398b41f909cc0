package io.distcache.producer;

import io.distcache.producer.config.ProducerSettings;
import io.distcache.producer.config.SettingsFile;
import java.util.Properties;

/**
 * Producer settings for tests: one JSON projection of a topic into a namespace, key template user:{id},
 * on the shared redis-server or the shared Redis Cluster.
 */
final class Producers {

  private Producers() {
  }

  static Properties properties(String topic, String namespace) {
    Properties props = new Properties();
    props.setProperty("kafka.bootstrap.servers", Infra.kafka().bootstrapServers());
    props.setProperty("redis.uri", Infra.redis().uri());
    props.setProperty("http.port", "0");
    props.setProperty("projection[users].topic", topic);
    props.setProperty("projection[users].namespace", namespace);
    props.setProperty("projection[users].format", "json");
    props.setProperty("projection[users].key-template", "user:{id}");
    return props;
  }

  static ProducerSettings settings(String topic, String namespace) {
    return SettingsFile.parse(properties(topic, namespace), "test");
  }

  /** The same projection into the shared Redis Cluster ({@code redis.cluster = true}, its masters as seeds). */
  static Properties clusterProperties(String topic, String namespace) {
    Properties props = properties(topic, namespace);
    props.setProperty("redis.uri", Infra.cluster().seedsUri());
    props.setProperty("redis.cluster", "true");
    return props;
  }

  static ProducerSettings clusterSettings(String topic, String namespace) {
    return SettingsFile.parse(clusterProperties(topic, namespace), "test");
  }
}
