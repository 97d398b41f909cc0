package io.distcache.jcache.redis;

import io.distcache.jcache.configuration.ProviderSettings;
import io.distcache.jcache.configuration.ReadFrom;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.File;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis connections of one CacheManager: a master connection for writes and one read
 * connection per read-from mode, opened on first use and re-opened after a failed attempt.
 *
 * <p>Connections reject commands while disconnected instead of queueing them (Lettuce's default
 * would block a caller until its timeout), so an outage surfaces as a fast {@link
 * RedisUnavailableException} rather than a hang.
 */
public final class RedisConnections implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
  static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final ProviderSettings settings;
  private final RedisURI masterUri;
  private final RedisClient client;
  private final Map<ReadFrom, StatefulRedisConnection<String, byte[]>> readers = new EnumMap<>(ReadFrom.class);
  private final CircuitBreaker breaker;
  private volatile boolean replicasLagging;
  private final List<RedisClient> trackingClients = new ArrayList<>();
  private final Set<ReadFrom> modesInUse = EnumSet.noneOf(ReadFrom.class);
  private StatefulRedisConnection<String, byte[]> master;
  private boolean closed;

  /** Prepares the client; no I/O happens until a connection is first needed. */
  public RedisConnections(ProviderSettings settings) {
    this.settings = settings;
    this.masterUri = RedisURI.create(settings.redisUri());
    masterUri.setTimeout(settings.connectTimeout());
    this.client = RedisClient.create(SharedClientResources.get());
    client.setOptions(clientOptions(settings));
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
        .timeoutOptions(TimeoutOptions.enabled());
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
    if (masterUri.getSentinels().isEmpty()) {
      return masterUri.getHost() + ':' + masterUri.getPort();
    }
    return "sentinel " + masterUri.getSentinels().stream()
        .map(sentinel -> sentinel.getHost() + ':' + sentinel.getPort())
        .collect(Collectors.joining(",")) + " master '" + masterUri.getSentinelMasterId() + "'";
  }

  /** Async commands on the master. */
  public synchronized RedisAsyncCommands<String, byte[]> master() {
    ensureOpen();
    if (master == null || !master.isOpen()) {
      master = client.connect(CODEC, masterUri);
      LOG.debug("connected to Redis master {}", address());
    }
    return master.async();
  }

  /**
   * Async commands routed per the read-from mode (replicas are discovered from the master), or the
   * master's while the replicas trail too far behind (see {@link #replicasLagging(boolean)}).
   */
  public RedisAsyncCommands<String, byte[]> reader(ReadFrom readFrom) {
    return readFrom == ReadFrom.MASTER || replicasLagging ? master() : replicaAware(readFrom);
  }

  /** Async commands routed per the read-from mode, even while replicas lag (the heartbeat check needs them). */
  public synchronized RedisAsyncCommands<String, byte[]> replicaAware(ReadFrom readFrom) {
    if (readFrom == ReadFrom.MASTER) {
      return master();
    }
    ensureOpen();
    modesInUse.add(readFrom);
    StatefulRedisConnection<String, byte[]> reader = readers.get(readFrom);
    if (reader == null || !reader.isOpen()) {
      reader = connectReplicaAware(readFrom);
      readers.put(readFrom, reader);
    }
    return reader.async();
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
    connection.setReadFrom(readFrom == ReadFrom.REPLICA
        ? io.lettuce.core.ReadFrom.REPLICA
        : io.lettuce.core.ReadFrom.REPLICA_PREFERRED);
    LOG.debug("connected to Redis {} reading from {}", address(), readFrom);
    return connection;
  }

  /**
   * Drops the replica-aware connections so the next use connects again and rediscovers the
   * replicas: Lettuce learns a master's replicas only when it connects.
   */
  public synchronized void rediscoverReplicas() {
    readers.values().forEach(StatefulRedisConnection::closeAsync);
    readers.clear();
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
   * Opens a RESP3 connection to the master for Redis client tracking, on a client of its own so
   * {@code listener} hears only this connection's state changes (Lettuce reports every connection of
   * a client to each listener, and does not re-enable tracking after a reconnect).
   */
  public synchronized StatefulRedisConnection<String, byte[]> tracking(RedisConnectionStateListener listener) {
    ensureOpen();
    RedisClient trackingClient = RedisClient.create(SharedClientResources.get());
    trackingClient.setOptions(clientOptions(settings).mutate().protocolVersion(ProtocolVersion.RESP3).build());
    trackingClient.addListener(listener);
    trackingClients.add(trackingClient);
    return trackingClient.connect(CODEC, masterUri);
  }

  /** Opens a dedicated connection to the master, for blocking commands such as {@code XREAD BLOCK}. */
  public StatefulRedisConnection<String, byte[]> dedicated() {
    synchronized (this) {
      ensureOpen();
    }
    return client.connect(CODEC, masterUri);
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
    trackingClients.forEach(trackingClient -> trackingClient.shutdown(0, 2, TimeUnit.SECONDS));
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
