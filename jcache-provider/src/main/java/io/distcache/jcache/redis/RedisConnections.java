package io.distcache.jcache.redis;

import io.distcache.jcache.configuration.ProviderSettings;
import io.distcache.jcache.configuration.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Redis connections of one CacheManager: a master connection for writes and one read connection per read mode,
 * opened on first use and re-opened after a failed attempt, over the deployment's {@link Topology} (a master with
 * replicas, standalone or through Sentinel, or a Redis Cluster); reads routed by {@link ReadRouting}; plus dedicated
 * connections for blocking commands and client tracking.
 *
 * <p>Standalone and Sentinel connections reject commands while disconnected instead of queueing them (Lettuce's
 * default would block a caller until its timeout), so an outage surfaces as a fast {@link RedisUnavailableException}
 * rather than a hang. Cluster connections queue them while disconnected (see {@link ClusterTopology}).
 */
public final class RedisConnections implements AutoCloseable {

  private final ProviderSettings settings;
  /** Opens the blocking and bookkeeping-node connections and, outside a cluster, all the others but tracking's. */
  private final RedisClient client;
  private final ConnectAttempts attempts = new ConnectAttempts();
  private final Topology topology;
  private final ReadRouting routing;
  private final CircuitBreaker breaker;
  private final List<RedisClient> trackingClients = new ArrayList<>();
  private boolean closed;

  /** Prepares the clients; no I/O happens until a connection is first needed. */
  public RedisConnections(ProviderSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    List<RedisURI> seeds = settings.seedUris().stream().map(RedisURI::create).toList();
    seeds.forEach(seed -> seed.setTimeout(settings.connectTimeout()));
    this.client = RedisClient.create(SharedClientResources.get());
    client.setOptions(ClientSetup.options(settings));
    this.topology = settings.cluster()
        ? new ClusterTopology(settings, seeds, client, attempts)
        : new MasterReplicaTopology(settings, seeds.get(0), client, attempts);
    this.routing = new ReadRouting(topology.address(), settings.outage().replicaMaxLag());
    this.breaker = new CircuitBreaker(settings.outage(), address(), System::currentTimeMillis);
  }

  /** The outage state shared by every cache of this manager. */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** Where Redis is, for messages: host and port (Sentinel: its nodes and master id), never credentials. */
  public String address() {
    return topology.address();
  }

  /** Whether the deployment is a Redis Cluster: commands on other slots cannot share one script. */
  public boolean isCluster() {
    return topology.isCluster();
  }

  /** Async commands on the master (on a cluster: on the master of each command's slot). */
  public synchronized RedisClusterAsyncCommands<String, byte[]> master() {
    ensureOpen();
    return topology.master();
  }

  /**
   * Whether Redis refused the credentials at the last connect that failed for a known reason; a later success, or a
   * failure where no server answered or TLS failed, clears it. Lets a failure that carries no reason be explained.
   */
  public boolean credentialsRefused() {
    return attempts.credentialsRefused();
  }

  /**
   * Async commands routed per the read-from mode (replicas are discovered from the master), or the
   * master's while the replicas trail too far behind (see {@link #replicasLagging(boolean)}).
   */
  public RedisClusterAsyncCommands<String, byte[]> reader(ReadFrom readFrom) {
    return routing.readsMaster(readFrom) ? master() : replicaAware(readFrom);
  }

  /** Async commands routed per the read-from mode, even while replicas lag (the heartbeat check needs them). */
  public synchronized RedisClusterAsyncCommands<String, byte[]> replicaAware(ReadFrom readFrom) {
    if (readFrom == ReadFrom.MASTER) {
      return master();
    }
    ensureOpen();
    routing.use(readFrom);
    return topology.replicas(readFrom);
  }

  /**
   * Makes replica reads learn the replicas anew: outside a cluster the next read connects again (Lettuce learns a
   * master's replicas only when it connects); on a cluster an asynchronous topology refresh starts.
   */
  public synchronized void rediscoverReplicas() {
    topology.rediscoverReplicas();
  }

  /** The replica read modes caches of this manager use (those whose health the heartbeat checks). */
  public Set<ReadFrom> replicaModes() {
    return routing.modesInUse();
  }

  /** Routes reads of every mode to the master while {@code lagging}; logs each change once. */
  public void replicasLagging(boolean lagging) {
    routing.replicasLagging(lagging);
  }

  /** True while reads are moved to the master because replicas trail. */
  public boolean replicasLagging() {
    return routing.replicasLagging();
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
    trackingClient.setOptions(ClientSetup.options(settings).mutate().protocolVersion(ProtocolVersion.RESP3).build());
    trackingClient.addListener(listener);
    trackingClients.add(trackingClient);
    return trackingClient.connect(ClientSetup.CODEC, node);
  }

  /**
   * The nodes whose writes client tracking must watch: the master, or on a cluster every master as
   * currently known (each reports invalidations only for its own slots).
   */
  public synchronized List<RedisURI> trackedNodes() {
    ensureOpen();
    return topology.trackedNodes();
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
      node = topology.bookkeepingNodeUri();
    }
    return client.connect(ClientSetup.CODEC, node);
  }

  /**
   * Async commands on the node holding the bookkeeping slot, for node-scoped commands such as
   * {@code CLIENT UNBLOCK} of the follower's connection.
   */
  public synchronized RedisClusterAsyncCommands<String, byte[]> bookkeepingNode() {
    ensureOpen();
    return topology.bookkeepingNode();
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
    try {
      topology.close();
    } finally {
      trackingClients.forEach(trackingClient -> trackingClient.shutdown(0, 2, TimeUnit.SECONDS));
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
