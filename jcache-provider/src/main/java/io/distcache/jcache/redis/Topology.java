package io.distcache.jcache.redis;

import io.distcache.jcache.configuration.ReadFrom;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;

/**
 * How a deployment's nodes are reached: a master with its replicas (standalone or found through Sentinel), or a
 * Redis Cluster. {@link RedisConnections} calls every method that opens or closes connections while holding its own
 * lock, so implementations need none; {@link #address()} and {@link #isCluster()} read only final state.
 */
interface Topology extends AutoCloseable {

  /** Where Redis is, for messages: hosts and ports, never credentials. */
  String address();

  /** Whether commands on different slots cannot share one script. */
  boolean isCluster();

  /** Async commands on the master (on a cluster: on the master of each command's slot). */
  RedisClusterAsyncCommands<String, byte[]> master();

  /** Async commands routed to replicas per {@code readFrom}, which is not {@link ReadFrom#MASTER}. */
  RedisClusterAsyncCommands<String, byte[]> replicas(ReadFrom readFrom);

  /** Makes the next replica read learn the replicas anew (Lettuce learns them only when it connects). */
  void rediscoverReplicas();

  /** The nodes whose writes client tracking must watch: each master that serves slots. */
  List<RedisURI> trackedNodes();

  /** The node that serves the bookkeeping keys (change logs, meta hashes, heartbeat) now. */
  RedisURI bookkeepingNodeUri();

  /** Async commands on the node serving the bookkeeping keys, for node-scoped commands such as CLIENT UNBLOCK. */
  RedisClusterAsyncCommands<String, byte[]> bookkeepingNode();

  @Override
  void close();
}
