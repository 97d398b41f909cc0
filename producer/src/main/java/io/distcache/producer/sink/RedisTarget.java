package io.distcache.producer.sink;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.sync.RedisServerCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.distcache.producer.config.RedisSettings;
import io.distcache.protocol.wire.StringBytesCodec;
import io.lettuce.core.SslOptions;
import java.io.File;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Duration;

/**
 * The Redis deployment the producer writes to, shared by its sinks: a standalone or Sentinel-managed
 * master, whose batches one script applies atomically, or a Redis Cluster, whose batches follow the
 * log-first protocol of {@link LogFirstBatches} because a namespace's entries spread over all slots.
 *
 * <p>A Sentinel URI ({@code redis-sentinel://}) makes Lettuce ask the Sentinels for the master at every
 * (re)connect, so the producer follows a failover. Both clients reject commands while disconnected (Lettuce's default would queue them), so a batch
 * fails fast and is retried from the stored offsets. The cluster client follows failovers and slot moves:
 * its topology is refreshed periodically and on every redirect or reconnect, and its commands time out.
 */
public final class RedisTarget implements AutoCloseable {

  private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);
  private static final Duration ADAPTIVE_REFRESH_MIN_INTERVAL = Duration.ofSeconds(1);
  private static final RedisCodec<String, byte[]> CODEC = StringBytesCodec.INSTANCE;

  private final AbstractRedisClient client;
  private final String address;
  private final int replicaAcks;
  private final Duration commandTimeout;

  private RedisTarget(AbstractRedisClient client, RedisSettings settings) {
    this.client = client;
    this.address = settings.address();
    this.replicaAcks = settings.replicaAcks();
    this.commandTimeout = settings.commandTimeout();
  }

  /** How long a command may wait for its reply before the batch counts as failed. */
  Duration commandTimeout() {
    return commandTimeout;
  }

  /**
   * Creates the client of the deployment the settings name; nothing connects until a sink needs it.
   *
   * @param settings a standalone or Sentinel-managed master, or with {@code cluster} the seed nodes of a
   *     Redis Cluster (every seed gets the URI's credentials)
   */
  public static RedisTarget of(RedisSettings settings) {
    SocketOptions socket = SocketOptions.builder().connectTimeout(settings.connectTimeout()).build();
    TimeoutOptions timeouts = TimeoutOptions.enabled(settings.commandTimeout());
    SslOptions ssl = sslOptions(settings);
    if (!settings.cluster()) {
      RedisClient standalone = RedisClient.create(RedisURI.create(settings.uri()));
      ClientOptions.Builder options = ClientOptions.builder().disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
          .autoReconnect(true).socketOptions(socket).timeoutOptions(timeouts);
      if (ssl != null) {
        options.sslOptions(ssl);
      }
      standalone.setOptions(options.build());
      return new RedisTarget(standalone, settings);
    }
    RedisClusterClient clusterClient = RedisClusterClient.create(RedisClusterURIUtil.toRedisURIs(URI.create(settings.uri())));
    ClusterClientOptions.Builder options = ClusterClientOptions.builder()
        .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS).autoReconnect(true).socketOptions(socket)
        .timeoutOptions(timeouts)
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
            .enableAllAdaptiveRefreshTriggers()
            .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_MIN_INTERVAL)
            .build());
    if (ssl != null) {
      options.sslOptions(ssl);
    }
    clusterClient.setOptions(options.build());
    return new RedisTarget(clusterClient, settings);
  }

  private static SslOptions sslOptions(RedisSettings settings) {
    if (settings.trustStore() == null) {
      return null;
    }
    String password = settings.trustStorePassword();
    return SslOptions.builder().jdkSslProvider().truststore(new File(settings.trustStore()), password).build();
  }

  /** Whether the target is a Redis Cluster. */
  public boolean isCluster() {
    return client instanceof RedisClusterClient;
  }

  /** How many replicas of each master must acknowledge a batch's entries before its offsets move (cluster only). */
  int replicaAcks() {
    return replicaAcks;
  }

  /** The address without password, for messages. */
  public String address() {
    return address;
  }

  /**
   * Opens a connection: on a cluster, one that routes each command to the master of its key's slot,
   * scans every master and splits multi-key commands by slot.
   *
   * @throws SinkUnavailableException when Redis cannot be reached
   */
  Link connect(String purpose) {
    try {
      if (client instanceof RedisClusterClient clusterClient) {
        StatefulRedisClusterConnection<String, byte[]> connection = clusterClient.connect(CODEC);
        return new Link(connection, connection.async(), connection);
      }
      StatefulRedisConnection<String, byte[]> connection = ((RedisClient) client).connect(CODEC);
      return new Link(connection, connection.async(), null);
    } catch (RedisException e) {
      throw new SinkUnavailableException(purpose + ": cannot connect to Redis at " + address + " (" + e.getMessage()
          + "); retrying", e);
    }
  }

  /**
   * An open connection and its commands (the API both topologies share).
   *
   * @param cluster the same connection as a cluster connection (node connections, topology), {@code null}
   *     on a standalone master
   */
  record Link(StatefulConnection<String, byte[]> connection, RedisClusterAsyncCommands<String, byte[]> commands,
      StatefulRedisClusterConnection<String, byte[]> cluster) {
  }

  /**
   * The {@code maxmemory-policy} of every master ({@code CONFIG GET}, or {@code INFO memory} where a
   * managed Redis renames or forbids {@code CONFIG}), by address.
   *
   * @throws SinkUnavailableException when Redis cannot be reached
   */
  public Map<String, String> evictionPolicies() {
    Link link = connect("checking maxmemory-policy");
    try {
      Map<String, String> policies = new LinkedHashMap<>();
      if (link.cluster() == null) {
        policies.put(address, evictionPolicy(((StatefulRedisConnection<String, byte[]>) link.connection()).sync()));
        return policies;
      }
      for (RedisClusterNode node : link.cluster().getPartitions()) {
        if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
          policies.put(node.getUri().getHost() + ":" + node.getUri().getPort(),
              evictionPolicy(link.cluster().getConnection(node.getNodeId()).sync()));
        }
      }
      return policies;
    } catch (RedisException e) {
      throw new SinkUnavailableException("cannot read maxmemory-policy from " + address + " (" + e.getMessage() + ")", e);
    } finally {
      link.connection().close();
    }
  }

  private static String evictionPolicy(RedisServerCommands<String, byte[]> commands) {
    try {
      Map<String, String> config = commands.configGet("maxmemory-policy");
      String policy = config.get("maxmemory-policy");
      if (policy != null) {
        return policy;
      }
    } catch (RedisCommandExecutionException e) {
      // CONFIG may be renamed or denied by an ACL; INFO memory tells the same
    }
    for (String line : commands.info("memory").split("\\r?\\n")) {
      if (line.startsWith("maxmemory_policy:")) {
        return line.substring("maxmemory_policy:".length()).trim();
      }
    }
    return "unknown";
  }

  /** Closes every connection of the client. */
  @Override
  public void close() {
    client.shutdown();
  }

  @Override
  public String toString() {
    return (isCluster() ? "Redis Cluster at " : "Redis at ") + address;
  }
}
