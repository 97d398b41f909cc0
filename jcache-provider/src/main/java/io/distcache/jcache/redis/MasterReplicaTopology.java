package io.distcache.jcache.redis;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.configuration.ProviderSettings;
import io.distcache.jcache.configuration.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master with its replicas, standalone or found through Sentinel: one master connection, and one master-replica
 * connection per read mode, which learns the replicas from the master (Sentinel: from Sentinel), or uses the
 * configured {@code redis.replicas}.
 */
final class MasterReplicaTopology implements Topology {

  /** How long a replaced reader connection stays open for the calls already sent on it (past any command-timeout). */
  private static final Duration RETIRED_CONNECTION_GRACE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(MasterReplicaTopology.class);

  private final ProviderSettings settings;
  private final RedisURI masterUri;
  private final RedisClient client;
  private final ConnectAttempts attempts;
  private final Map<ReadFrom, StatefulRedisConnection<String, byte[]>> readers = new EnumMap<>(ReadFrom.class);
  private StatefulRedisConnection<String, byte[]> master;

  MasterReplicaTopology(ProviderSettings settings, RedisURI masterUri, RedisClient client, ConnectAttempts attempts) {
    this.settings = requireNonNull(settings, "settings");
    this.masterUri = requireNonNull(masterUri, "masterUri");
    this.client = requireNonNull(client, "client");
    this.attempts = requireNonNull(attempts, "attempts");
  }

  @Override
  public String address() {
    if (masterUri.getSentinels().isEmpty()) {
      return masterUri.getHost() + ':' + masterUri.getPort();
    }
    return "sentinel " + masterUri.getSentinels().stream()
        .map(sentinel -> sentinel.getHost() + ':' + sentinel.getPort())
        .collect(Collectors.joining(",")) + " master '" + masterUri.getSentinelMasterId() + "'";
  }

  @Override
  public boolean isCluster() {
    return false;
  }

  @Override
  public RedisClusterAsyncCommands<String, byte[]> master() {
    if (master == null || !master.isOpen()) {
      master = attempts.connect(() -> client.connect(ClientSetup.CODEC, masterUri));
      LOG.debug("connected to Redis master {}", address());
    }
    return master.async();
  }

  @Override
  public RedisClusterAsyncCommands<String, byte[]> replicas(ReadFrom readFrom) {
    StatefulRedisConnection<String, byte[]> reader = readers.get(readFrom);
    if (reader == null || !reader.isOpen()) {
      reader = attempts.connect(() -> connectReplicaAware(readFrom));
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
        ? MasterReplica.connect(client, ClientSetup.CODEC, masterUri)
        : MasterReplica.connect(client, ClientSetup.CODEC, nodes);
    connection.setReadFrom(ClientSetup.lettuceReadFrom(readFrom));
    LOG.debug("connected to Redis {} reading from {}", address(), readFrom);
    return connection;
  }

  /** Drops the reader connections, so the next read connects again and learns the replicas anew. */
  @Override
  public void rediscoverReplicas() {
    // Closed once the calls already sent on them had time to be answered: closing at once would fail calls that had
    // nothing wrong with them ("Connection closed"), as happened to a read of a healthy run.
    List<StatefulRedisConnection<String, byte[]>> retired = List.copyOf(readers.values());
    readers.clear();
    CompletableFuture.delayedExecutor(RETIRED_CONNECTION_GRACE.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> retired.forEach(StatefulRedisConnection::closeAsync));
  }

  @Override
  public List<RedisURI> trackedNodes() {
    return List.of(masterUri);
  }

  @Override
  public RedisURI bookkeepingNodeUri() {
    return masterUri;
  }

  @Override
  public RedisClusterAsyncCommands<String, byte[]> bookkeepingNode() {
    return master();
  }

  @Override
  public void close() {
    readers.values().forEach(StatefulRedisConnection::close);
    readers.clear();
    if (master != null) {
      master.close();
    }
  }
}
