package io.distcache.connect;

import io.distcache.producer.ops.ProducerVersion;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * A Kafka Connect sink connector that projects one compacted topic into a distcache namespace, exactly: its
 * tasks apply the producer's sink (version rule, offsets stored with the data, fencing per partition), and
 * Connect's committed offsets never run ahead of what Redis holds. It takes the producer's configuration keys;
 * see docs/kafka-connect.md.
 */
public final class DistcacheSinkConnector extends SinkConnector {

  private static final ConfigDef CONFIG = new ConfigDef()
      .define("redis.uri", ConfigDef.Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
          "The Redis master, its Sentinels or a cluster node, as the producer's redis.uri (credentials may be in it)")
      .define("redis.key-prefix", ConfigDef.Type.STRING, "dc", ConfigDef.Importance.MEDIUM,
          "The prefix of every Redis key; must equal the edges' redis.key-prefix");

  private Map<String, String> config;

  @Override
  public String version() {
    return ProducerVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    // fails here, with the key at fault, rather than in every task
    ConnectorSettings.parse(props);
    this.config = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return DistcacheSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return Collections.nCopies(maxTasks, config);
  }

  @Override
  public void stop() {
    config = null;
  }

  @Override
  public ConfigDef config() {
    return CONFIG;
  }
}
