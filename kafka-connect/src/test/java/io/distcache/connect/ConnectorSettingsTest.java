package io.distcache.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.producer.config.ProducerSettings;
import io.distcache.producer.projection.ProjectionSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** A connector's configuration read as the producer's settings file, and what a connector refuses. */
class ConnectorSettingsTest {

  @Test
  void theProducersKeysConfigureTheProjectionOfTheOneTopic() {
    ProducerSettings settings = ConnectorSettings.parse(config());
    ProjectionSettings projection = settings.projections().get(0);
    assertThat(projection.name()).isEqualTo("users");
    assertThat(projection.topic()).as("from Connect's topics").isEqualTo("core.users");
    assertThat(projection.namespace()).isEqualTo("users");
    assertThat(projection.keyTemplate().toString()).contains("user:{id}");
    assertThat(settings.redis().uri()).isEqualTo("redis://127.0.0.1:6390");
    assertThat(settings.keyPrefix()).isEqualTo("edge");
  }

  @Test
  void aConnectorWithoutProjectionKeysProjectsUnderItsOwnName() {
    Map<String, String> config = new HashMap<>();
    config.put("name", "orders-sink");
    config.put("topics", "core.orders");
    config.put("redis.uri", "redis://127.0.0.1:6390");
    ProjectionSettings projection = ConnectorSettings.parse(config).projections().get(0);
    assertThat(projection.name()).isEqualTo("orders-sink");
    assertThat(projection.namespace()).isEqualTo("orders-sink");
    assertThat(projection.topic()).isEqualTo("core.orders");
  }

  @Test
  void whatAConnectorCannotDoIsRefusedNamingTheKey() {
    Map<String, String> twoTopics = config();
    twoTopics.put("topics", "core.users,core.orders");
    assertThatThrownBy(() -> ConnectorSettings.parse(twoTopics)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("topics").hasMessageContaining("exactly one topic");

    Map<String, String> grouped = config();
    grouped.put("projection[users].group", "g");
    assertThatThrownBy(() -> ConnectorSettings.parse(grouped)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'projection[users].group'");

    Map<String, String> clear = config();
    clear.put("projection[users].truncate", "clear");
    assertThatThrownBy(() -> ConnectorSettings.parse(clear)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("truncate");

    Map<String, String> cluster = config();
    cluster.put("redis.cluster", "true");
    assertThatThrownBy(() -> ConnectorSettings.parse(cluster)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("redis.cluster = true");

    Map<String, String> typo = config();
    typo.put("projection[users].key-templat", "x");
    assertThatThrownBy(() -> ConnectorSettings.parse(typo)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("projection[users].key-templat");

    Map<String, String> regex = config();
    regex.remove("topics");
    regex.put("topics.regex", "core\\..*");
    regex.put("projection[users].topic", "core.users");
    assertThatThrownBy(() -> ConnectorSettings.parse(regex)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("topics.regex");

    Map<String, String> dlq = config();
    dlq.put("projection[users].dlq-topic", "core.users.dlq");
    assertThatThrownBy(() -> ConnectorSettings.parse(dlq)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'projection[users].dlq-topic'").hasMessageContaining("errors.deadletterqueue");

    Map<String, String> otherTopic = config();
    otherTopic.put("projection[users].topic", "core.other");
    assertThatThrownBy(() -> ConnectorSettings.parse(otherTopic)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("core.other");
  }

  private static Map<String, String> config() {
    Map<String, String> config = new HashMap<>();
    config.put("name", "users-sink");
    config.put("connector.class", DistcacheSinkConnector.class.getName());
    config.put("tasks.max", "2");
    config.put("topics", "core.users");
    config.put("redis.uri", "redis://127.0.0.1:6390");
    config.put("redis.key-prefix", "edge");
    config.put("projection[users].namespace", "users");
    config.put("projection[users].key-template", "user:{id}");
    config.put("errors.tolerance", "all");
    return config;
  }
}
