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
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.net.URI;
import java.time.Duration;

/**
 * The Redis deployment the producer writes to, shared by its sinks: a standalone or Sentinel-managed
 * master, whose batches one script applies atomically, or a Redis Cluster, whose batches follow the
 * log-first protocol of {@link LogFirstBatches} because a namespace's entries spread over all slots.
 *
 * <p>Both clients reject commands while disconnected (Lettuce's default would queue them), so a batch
 * fails fast and is retried from the stored offsets. The cluster client follows failovers and slot moves:
 * its topology is refreshed periodically and on every redirect or reconnect, and its commands time out.
 */
public final class RedisTarget implements AutoCloseable {

  /** How long a command may wait for its reply before the batch counts as failed. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);
  private static final Duration ADAPTIVE_REFRESH_MIN_INTERVAL = Duration.ofSeconds(1);
  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final AbstractRedisClient client;
  private final String address;
  private final int replicaAcks;

  private RedisTarget(AbstractRedisClient client, String address, int replicaAcks) {
    this.client = client;
    this.address = address;
    this.replicaAcks = replicaAcks;
  }

  /**
   * Creates the client of a standalone or Sentinel-managed master; nothing connects until a sink needs it.
   *
   * @param uri {@code redis://} or {@code rediss://}, credentials allowed
   * @param address the URI without its password, for messages
   */
  public static RedisTarget standalone(String uri, String address) {
    RedisClient standalone = RedisClient.create(RedisURI.create(uri));
    standalone.setOptions(ClientOptions.builder().disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
        .autoReconnect(true).socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build()).build());
    return new RedisTarget(standalone, address, 0);
  }

  /**
   * Creates the client of a Redis Cluster; nothing connects until a sink needs it.
   *
   * @param uri seed nodes of the cluster, {@code redis://[user:password@]h1:7000[,h2:7001...]} or
   *     {@code rediss://}; every seed gets the credentials
   * @param address the URI without its password, for messages
   * @param replicaAcks how many replicas of each master must hold a batch's entries before its offsets
   *     move ({@code WAIT}); 0 does not wait
   */
  public static RedisTarget cluster(String uri, String address, int replicaAcks) {
    if (replicaAcks < 0) {
      throw new IllegalArgumentException("replicaAcks must be >= 0, got " + replicaAcks);
    }
    SocketOptions socket = SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build();
    RedisClusterClient clusterClient = RedisClusterClient.create(RedisClusterURIUtil.toRedisURIs(URI.create(uri)));
    clusterClient.setOptions(ClusterClientOptions.builder()
        .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS).autoReconnect(true).socketOptions(socket)
        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
            .enableAllAdaptiveRefreshTriggers()
            .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_MIN_INTERVAL)
            .build())
        .build());
    return new RedisTarget(clusterClient, address, replicaAcks);
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
