package io.distcache.jcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.configuration.ProviderSettings;
import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.jcache.configuration.SettingsLoader;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import io.lettuce.core.RedisFuture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connections to a real redis-server. */
class RedisConnectionsTest {

  @StartedRedis
  private RedisServer redis;
  private RedisConnections connections;

  @BeforeEach
  void connect() {
    ProviderSettings settings = SettingsLoader.load(URI.create(redis.uri()), getClass().getClassLoader(),
        new Properties(), Map.of(), new Properties());
    connections = new RedisConnections(settings);
  }

  @AfterEach
  void disconnect() {
    connections.close();
  }

  @Test
  void aReadUnderWayWhenReplicasAreRediscoveredIsAnswered() throws Exception {
    redis.command("SET", "k", "v");
    RedisFuture<byte[]> read;
    // Redis holds the read back while the connection it went out on is replaced.
    redis.command("CLIENT", "PAUSE", "300", "ALL");
    read = connections.replicaAware(ReadFrom.REPLICA_PREFERRED).get("k");
    connections.rediscoverReplicas();

    assertThat(new String(read.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("v");
    assertThat(new String(connections.replicaAware(ReadFrom.REPLICA_PREFERRED).get("k").get(5, TimeUnit.SECONDS),
        StandardCharsets.UTF_8)).as("through the new connection").isEqualTo("v");
  }
}
