package io.distcache.jcache.redis;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.configuration.ProviderSettings;
import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.protocol.wire.StringBytesCodec;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster ({@code redis.cluster=true}): cluster connections that route each command by its key's slot
 * (reads per the read mode to the slot's replicas) and follow the topology. Node-scoped work gets plain connections
 * to single nodes: the master holding the deployment's bookkeeping slot (change logs, meta hashes, heartbeat) and,
 * for client tracking, every master.
 *
 * <p>Cluster connections queue commands while disconnected, where the other topologies reject them
 * (see the constructor); callers' command timeouts and the circuit breaker bound the wait.
 */
final class ClusterTopology implements Topology {

  /** How often the client re-reads the topology besides the refreshes MOVED/ASK replies trigger. */
  private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);
  /** At most one topology refresh per this period on a trigger (a failed node, a redirect, an uncovered slot). */
  private static final Duration ADAPTIVE_REFRESH_LIMIT = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(ClusterTopology.class);

  private final ProviderSettings settings;
  private final List<RedisURI> seeds;
  private final RedisClient nodeClient;
  private final ConnectAttempts attempts;
  private final RedisClusterClient clusterClient;
  private final int bookkeepingSlot;
  private final Map<ReadFrom, StatefulRedisClusterConnection<String, byte[]>> readers = new EnumMap<>(ReadFrom.class);
  private StatefulRedisClusterConnection<String, byte[]> master;
  private StatefulRedisConnection<String, byte[]> bookkeepingNode;
  private RedisURI bookkeepingNodeUri;

  /** {@code nodeClient} opens the plain connections to single nodes; the first seed stands for the cluster. */
  ClusterTopology(ProviderSettings settings, List<RedisURI> seeds, RedisClient nodeClient, ConnectAttempts attempts) {
    this.settings = requireNonNull(settings, "settings");
    this.seeds = List.copyOf(requireNonNull(seeds, "seeds"));
    this.nodeClient = requireNonNull(nodeClient, "nodeClient");
    this.attempts = requireNonNull(attempts, "attempts");
    this.bookkeepingSlot = StringBytesCodec.slotOf(Namespace.heartbeatKey(settings.keyPrefix()));
    this.clusterClient = RedisClusterClient.create(SharedClientResources.get(), this.seeds);
    // Lettuce opens a cluster node's connection on first use and, with REJECT_COMMANDS, refuses
    // commands waiting for it: every first command to a node would fail. Commands wait instead,
    // bounded by the command timeout (then cancelled, so never sent late) and the circuit breaker.
    clusterClient.setOptions(ClusterClientOptions.builder(ClientSetup.options(settings))
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
        // Adaptive refreshes are rate-limited (Lettuce's default: one per 30 s). A master's death triggers one
        // before its replica is promoted; without another soon after, the dead node keeps its slots in the
        // client's view until the periodic refresh, and every write to them times out meanwhile.
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enableAllAdaptiveRefreshTriggers()
            .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_LIMIT)
            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
            .build())
        .build());
  }

  @Override
  public String address() {
    return "cluster " + seeds.stream().map(seed -> seed.getHost() + ':' + seed.getPort())
        .collect(Collectors.joining(","));
  }

  @Override
  public boolean isCluster() {
    return true;
  }

  @Override
  public RedisClusterAsyncCommands<String, byte[]> master() {
    return masterConnection().async();
  }

  private StatefulRedisClusterConnection<String, byte[]> masterConnection() {
    if (master == null || !master.isOpen()) {
      master = connect(null);
    }
    return master;
  }

  @Override
  public RedisClusterAsyncCommands<String, byte[]> replicas(ReadFrom readFrom) {
    StatefulRedisClusterConnection<String, byte[]> reader = readers.get(readFrom);
    if (reader == null || !reader.isOpen()) {
      reader = connect(readFrom);
      readers.put(readFrom, reader);
    }
    return reader.async();
  }

  /** A cluster connection reading per {@code readFrom} ({@code null}: from the masters). */
  private StatefulRedisClusterConnection<String, byte[]> connect(ReadFrom readFrom) {
    StatefulRedisClusterConnection<String, byte[]> connection =
        attempts.connect(() -> clusterClient.connect(ClientSetup.CODEC));
    if (readFrom != null) {
      connection.setReadFrom(ClientSetup.lettuceReadFrom(readFrom));
    }
    LOG.debug("connected to Redis {} reading from {}", address(), readFrom == null ? "masters" : readFrom);
    return connection;
  }

  /** The cluster connections learn replicas with the topology: refreshing it is enough. */
  @Override
  public void rediscoverReplicas() {
    clusterClient.refreshPartitionsAsync();
  }

  /** Every master as currently known: each reports invalidations only for its own slots. */
  @Override
  public List<RedisURI> trackedNodes() {
    clusterClient.refreshPartitions();
    return clusterClient.getPartitions().stream()
        .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty())
        .map(node -> withAddressOf(node.getUri()))
        .toList();
  }

  /** Refreshes the topology first: this is asked again after a failure, and the slot's master may have failed over. */
  @Override
  public RedisURI bookkeepingNodeUri() {
    clusterClient.refreshPartitions();
    return currentBookkeepingNodeUri();
  }

  @Override
  public RedisClusterAsyncCommands<String, byte[]> bookkeepingNode() {
    RedisURI node = currentBookkeepingNodeUri();
    if (bookkeepingNode == null || !bookkeepingNode.isOpen() || !node.equals(bookkeepingNodeUri)) {
      if (bookkeepingNode != null) {
        bookkeepingNode.closeAsync();
      }
      bookkeepingNode = nodeClient.connect(ClientSetup.CODEC, node);
      bookkeepingNodeUri = node;
    }
    return bookkeepingNode.async();
  }

  private RedisURI currentBookkeepingNodeUri() {
    RedisClusterNode owner = masterConnection().getPartitions().getMasterBySlot(bookkeepingSlot);
    if (owner == null) {
      clusterClient.refreshPartitions();
      owner = masterConnection().getPartitions().getMasterBySlot(bookkeepingSlot);
    }
    if (owner == null) {
      throw new RedisUnavailableException("Redis " + address() + ": no master serves slot " + bookkeepingSlot
          + " (the change logs of key prefix '" + settings.keyPrefix() + "'); check the cluster's state", null);
    }
    return withAddressOf(owner.getUri());
  }

  /** The first seed's credentials, TLS and timeouts, pointed at another node of the cluster. */
  private RedisURI withAddressOf(RedisURI node) {
    return RedisURI.builder(seeds.get(0)).withHost(node.getHost()).withPort(node.getPort()).build();
  }

  @Override
  public void close() {
    if (bookkeepingNode != null) {
      bookkeepingNode.close();
    }
    readers.values().forEach(StatefulRedisClusterConnection::close);
    if (master != null) {
      master.close();
    }
    clusterClient.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
