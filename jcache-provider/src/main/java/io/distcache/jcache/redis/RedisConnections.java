package io.distcache.jcache.redis;

import io.distcache.jcache.configuration.ProviderSettings;
import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.jcache.namespace.Namespace;
import io.distcache.jcache.sabotage.Sabotage;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis connections of one CacheManager: a master connection for writes and one read
 * connection per read-from mode, opened on first use and re-opened after a failed attempt.
 *
 * <p>On a Redis Cluster ({@code redis.cluster=true}) those are cluster connections that route each
 * command by its key's slot (reads per the read-from mode to the slot's replicas) and follow the
 * topology; blocking and tracking commands get plain connections to single nodes: the node holding
 * the deployment's bookkeeping slot (change logs, meta hashes, heartbeat) and, for tracking, every
 * master.
 *
 * <p>Standalone and Sentinel connections reject commands while disconnected instead of queueing
 * them (Lettuce's default would block a caller until its timeout), so an outage surfaces as a fast
 * {@link RedisUnavailableException} rather than a hang. Cluster connections queue them (see the
 * constructor); callers' command timeouts and the circuit breaker bound the wait.
 */
public final class RedisConnections implements AutoCloseable {

  /** How long a replaced reader connection stays open for the calls already sent on it (past any command-timeout). */
  private static final Duration RETIRED_CONNECTION_GRACE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
  static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  /** How often a cluster client re-reads the topology besides the refreshes MOVED/ASK replies trigger. */
  private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);
  /** At most one topology refresh per this period on a trigger (a failed node, a redirect, an uncovered slot). */
  private static final Duration ADAPTIVE_REFRESH_LIMIT = Duration.ofSeconds(1);

  private final ProviderSettings settings;
  /** The master, or on a cluster the seed nodes (the first one stands for the cluster in messages). */
  private final List<RedisURI> seeds;
  private final RedisURI masterUri;
  private final RedisClient client;
  private final RedisClusterClient clusterClient;
  private final int bookkeepingSlot;
  private final Map<ReadFrom, StatefulRedisClusterConnection<String, byte[]>> clusterReaders =
      new EnumMap<>(ReadFrom.class);
  private StatefulRedisClusterConnection<String, byte[]> clusterMaster;
  private StatefulRedisConnection<String, byte[]> bookkeepingNode;
  private RedisURI bookkeepingNodeUri;
  private final Map<ReadFrom, StatefulRedisConnection<String, byte[]>> readers = new EnumMap<>(ReadFrom.class);
  private final CircuitBreaker breaker;
  private volatile boolean replicasLagging;
  /** Whether the last connect that failed with a reason failed because Redis refused the credentials. */
  private volatile boolean credentialsRefused;
  private final List<RedisClient> trackingClients = new ArrayList<>();
  private final Set<ReadFrom> modesInUse = EnumSet.noneOf(ReadFrom.class);
  private StatefulRedisConnection<String, byte[]> master;
  private boolean closed;

  /** Prepares the client; no I/O happens until a connection is first needed. */
  public RedisConnections(ProviderSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.seeds = settings.seedUris().stream().map(RedisURI::create).toList();
    seeds.forEach(seed -> seed.setTimeout(settings.connectTimeout()));
    this.masterUri = seeds.get(0);
    this.client = RedisClient.create(SharedClientResources.get());
    client.setOptions(clientOptions(settings));
    this.bookkeepingSlot = SlotHash.getSlot(Namespace.heartbeatKey(settings.keyPrefix()));
    if (settings.cluster()) {
      this.clusterClient = RedisClusterClient.create(SharedClientResources.get(), seeds);
      // Lettuce opens a cluster node's connection on first use and, with REJECT_COMMANDS, refuses
      // commands waiting for it: every first command to a node would fail. Commands wait instead,
      // bounded by the command timeout (then cancelled, so never sent late) and the circuit breaker.
      clusterClient.setOptions(ClusterClientOptions.builder(clientOptions(settings))
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
    } else {
      this.clusterClient = null;
    }
    this.breaker = new CircuitBreaker(settings.outage(), address(), System::currentTimeMillis);
  }

  /** The outage state shared by every cache of this manager. */
  public CircuitBreaker breaker() {
    return breaker;
  }

  private static ClientOptions clientOptions(ProviderSettings settings) {
    ClientOptions.Builder options = ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .protocolVersion(ProtocolVersion.RESP2)
        .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
        .timeoutOptions(Sabotage.IGNORE_COMMAND_TIMEOUT.isActive()
            ? TimeoutOptions.builder().timeoutCommands(false).build() : TimeoutOptions.enabled());
    if (settings.trustStore() != null) {
      SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
      String password = settings.trustStorePassword();
      ssl.truststore(new File(settings.trustStore()), password == null ? null : password);
      options.sslOptions(ssl.build());
    }
    return options.build();
  }

  /** Where Redis is, for messages: host and port (Sentinel: its nodes and master id), never credentials. */
  public String address() {
    if (clusterClient != null) {
      return "cluster " + seeds.stream().map(seed -> seed.getHost() + ':' + seed.getPort())
          .collect(Collectors.joining(","));
    }
    if (masterUri.getSentinels().isEmpty()) {
      return masterUri.getHost() + ':' + masterUri.getPort();
    }
    return "sentinel " + masterUri.getSentinels().stream()
        .map(sentinel -> sentinel.getHost() + ':' + sentinel.getPort())
        .collect(Collectors.joining(",")) + " master '" + masterUri.getSentinelMasterId() + "'";
  }

  /** Whether the deployment is a Redis Cluster: commands on other slots cannot share one script. */
  public boolean isCluster() {
    return clusterClient != null;
  }

  /** Async commands on the master (on a cluster: on the master of each command's slot). */
  public synchronized RedisClusterAsyncCommands<String, byte[]> master() {
    ensureOpen();
    if (clusterClient != null) {
      return clusterConnection(null).async();
    }
    if (master == null || !master.isOpen()) {
      master = connecting(() -> client.connect(CODEC, masterUri));
      LOG.debug("connected to Redis master {}", address());
    }
    return master.async();
  }

  /**
   * Whether Redis refused the credentials at the last connect that failed for a known reason; a later success, or a
   * failure where no server answered or TLS failed, clears it. Lets a failure that carries no reason be explained.
   */
  public boolean credentialsRefused() {
    return credentialsRefused;
  }

  private <C> C connecting(Supplier<C> connect) {
    try {
      C connection = connect.get();
      credentialsRefused = false;
      return connection;
    } catch (RuntimeException e) {
      if (ConnectFailures.refusedCredentials(e)) {
        credentialsRefused = true;
      } else if (ConnectFailures.foundNoServer(e) || ConnectFailures.failedTls(e)) {
        credentialsRefused = false;
      }
      throw e;
    }
  }

  /**
   * Async commands routed per the read-from mode (replicas are discovered from the master), or the
   * master's while the replicas trail too far behind (see {@link #replicasLagging(boolean)}).
   */
  public RedisClusterAsyncCommands<String, byte[]> reader(ReadFrom readFrom) {
    return readFrom == ReadFrom.MASTER || replicasLagging ? master() : replicaAware(readFrom);
  }

  /** Async commands routed per the read-from mode, even while replicas lag (the heartbeat check needs them). */
  public synchronized RedisClusterAsyncCommands<String, byte[]> replicaAware(ReadFrom readFrom) {
    if (readFrom == ReadFrom.MASTER) {
      return master();
    }
    ensureOpen();
    modesInUse.add(readFrom);
    if (clusterClient != null) {
      return clusterConnection(readFrom).async();
    }
    StatefulRedisConnection<String, byte[]> reader = readers.get(readFrom);
    if (reader == null || !reader.isOpen()) {
      reader = connecting(() -> connectReplicaAware(readFrom));
      readers.put(readFrom, reader);
    }
    return reader.async();
  }

  /** The cluster connection reading per {@code readFrom} ({@code null}: the masters). */
  private StatefulRedisClusterConnection<String, byte[]> clusterConnection(ReadFrom readFrom) {
    StatefulRedisClusterConnection<String, byte[]> connection =
        readFrom == null ? clusterMaster : clusterReaders.get(readFrom);
    if (connection == null || !connection.isOpen()) {
      connection = connecting(() -> clusterClient.connect(CODEC));
      if (readFrom != null) {
        connection.setReadFrom(lettuceReadFrom(readFrom));
        clusterReaders.put(readFrom, connection);
      } else {
        clusterMaster = connection;
      }
      LOG.debug("connected to Redis {} reading from {}", address(), readFrom == null ? "masters" : readFrom);
    }
    return connection;
  }

  private static io.lettuce.core.ReadFrom lettuceReadFrom(ReadFrom readFrom) {
    return readFrom == ReadFrom.REPLICA ? io.lettuce.core.ReadFrom.REPLICA : io.lettuce.core.ReadFrom.REPLICA_PREFERRED;
  }

  private StatefulRedisConnection<String, byte[]> connectReplicaAware(ReadFrom readFrom) {
    List<RedisURI> nodes = new ArrayList<>();
    nodes.add(masterUri);
    for (String replica : settings.replicaUris()) {
      RedisURI uri = RedisURI.create(replica);
      uri.setTimeout(settings.connectTimeout());
      nodes.add(uri);
    }
    StatefulRedisMasterReplicaConnection<String, byte[]> connection = nodes.size() == 1
        ? MasterReplica.connect(client, CODEC, masterUri)
        : MasterReplica.connect(client, CODEC, nodes);
    connection.setReadFrom(lettuceReadFrom(readFrom));
    LOG.debug("connected to Redis {} reading from {}", address(), readFrom);
    return connection;
  }

  /**
   * Drops the replica-aware connections so the next use connects again and rediscovers the
   * replicas: Lettuce learns a master's replicas only when it connects.
   */
  public synchronized void rediscoverReplicas() {
    if (clusterClient != null) {
      clusterClient.refreshPartitionsAsync();
      return;
    }
    // Closed once the calls already sent on them had time to be answered: closing at once would fail calls that had
    // nothing wrong with them ("Connection closed"), as happened to a read of a healthy run.
    List<StatefulRedisConnection<String, byte[]>> retired = List.copyOf(readers.values());
    readers.clear();
    CompletableFuture.delayedExecutor(RETIRED_CONNECTION_GRACE.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> retired.forEach(StatefulRedisConnection::closeAsync));
  }

  /** The replica read modes caches of this manager use (those whose health the heartbeat checks). */
  public synchronized Set<ReadFrom> replicaModes() {
    return Set.copyOf(modesInUse);
  }

  /** Routes reads of every mode to the master while {@code lagging}; logs each change once. */
  public void replicasLagging(boolean lagging) {
    if (replicasLagging != lagging) {
      replicasLagging = lagging;
      if (lagging) {
        LOG.warn("Redis replicas of {} trail the master by more than {} or do not answer; reading from the master",
            address(), settings.outage().replicaMaxLag());
      } else {
        LOG.info("Redis replicas of {} caught up; reading from replicas again", address());
      }
    }
  }

  /** True while reads are moved to the master because replicas trail. */
  public boolean replicasLagging() {
    return replicasLagging;
  }

  /**
   * Opens a RESP3 connection to {@code node} (one of {@link #trackedNodes()}) for Redis client
   * tracking, on a client of its own so
   * {@code listener} hears only this connection's state changes (Lettuce reports every connection of
   * a client to each listener, and does not re-enable tracking after a reconnect).
   */
  public synchronized StatefulRedisConnection<String, byte[]> tracking(RedisURI node,
      RedisConnectionStateListener listener) {
    ensureOpen();
    RedisClient trackingClient = RedisClient.create(SharedClientResources.get());
    trackingClient.setOptions(clientOptions(settings).mutate().protocolVersion(ProtocolVersion.RESP3).build());
    trackingClient.addListener(listener);
    trackingClients.add(trackingClient);
    return trackingClient.connect(CODEC, node);
  }

  /**
   * The nodes whose writes client tracking must watch: the master, or on a cluster every master as
   * currently known (each reports invalidations only for its own slots).
   */
  public synchronized List<RedisURI> trackedNodes() {
    if (clusterClient == null) {
      return List.of(masterUri);
    }
    ensureOpen();
    clusterClient.refreshPartitions();
    return clusterClient.getPartitions().stream()
        .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty())
        .map(node -> withAddressOf(node.getUri()))
        .toList();
  }

  /**
   * Opens a dedicated connection for blocking commands such as {@code XREAD BLOCK} on the
   * bookkeeping keys: to the master, or on a cluster to the master currently serving the
   * bookkeeping slot (open a new one after a failure: the slot may have moved).
   */
  public StatefulRedisConnection<String, byte[]> dedicated() {
    RedisURI node;
    synchronized (this) {
      ensureOpen();
      if (clusterClient != null) {
        // Called again after a failure: the node may have failed over since the last refresh.
        clusterClient.refreshPartitions();
      }
      node = clusterClient == null ? masterUri : bookkeepingNodeUri();
    }
    return client.connect(CODEC, node);
  }

  /**
   * Async commands on the node holding the bookkeeping slot, for node-scoped commands such as
   * {@code CLIENT UNBLOCK} of the follower's connection.
   */
  public synchronized RedisClusterAsyncCommands<String, byte[]> bookkeepingNode() {
    if (clusterClient == null) {
      return master();
    }
    ensureOpen();
    RedisURI node = bookkeepingNodeUri();
    if (bookkeepingNode == null || !bookkeepingNode.isOpen() || !node.equals(bookkeepingNodeUri)) {
      if (bookkeepingNode != null) {
        bookkeepingNode.closeAsync();
      }
      bookkeepingNode = client.connect(CODEC, node);
      bookkeepingNodeUri = node;
    }
    return bookkeepingNode.async();
  }

  private RedisURI bookkeepingNodeUri() {
    RedisClusterNode owner = clusterConnection(null).getPartitions().getMasterBySlot(bookkeepingSlot);
    if (owner == null) {
      clusterClient.refreshPartitions();
      owner = clusterConnection(null).getPartitions().getMasterBySlot(bookkeepingSlot);
    }
    if (owner == null) {
      throw new RedisUnavailableException("Redis " + address() + ": no master serves slot " + bookkeepingSlot
          + " (the change logs of key prefix '" + settings.keyPrefix() + "'); check the cluster's state", null);
    }
    return withAddressOf(owner.getUri());
  }

  /** The seed URI's credentials, TLS and timeouts, pointed at another node of the cluster. */
  private RedisURI withAddressOf(RedisURI node) {
    return RedisURI.builder(masterUri).withHost(node.getHost()).withPort(node.getPort()).build();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the Redis connections of this CacheManager are closed");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    readers.values().forEach(StatefulRedisConnection::close);
    readers.clear();
    if (master != null) {
      master.close();
    }
    if (bookkeepingNode != null) {
      bookkeepingNode.close();
    }
    trackingClients.forEach(trackingClient -> trackingClient.shutdown(0, 2, TimeUnit.SECONDS));
    if (clusterClient != null) {
      clusterReaders.values().forEach(StatefulRedisClusterConnection::close);
      if (clusterMaster != null) {
        clusterMaster.close();
      }
      clusterClient.shutdown(0, 2, TimeUnit.SECONDS);
    }
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
