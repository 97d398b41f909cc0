package io.distcache.checker;

import io.distcache.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A testkit master with replicas on loopback ports, and the CacheManager settings that reach it
 * (replicas are discovered from the master). Closing it stops every server.
 */
public final class RedisTopology implements AutoCloseable {

  private final RedisServer master;
  private final List<RedisServer> replicas = new ArrayList<>();
  private final String keyPrefix = "chk-" + UUID.randomUUID().toString().substring(0, 8);

  private RedisTopology(RedisServer master) {
    this.master = master;
  }

  /**
   * Starts a master and {@code replicaCount} replicas, each in sync before this returns.
   *
   * @param replicaCount number of replicas, 0 or more
   * @return the running topology
   */
  public static RedisTopology start(int replicaCount) {
    RedisTopology topology = new RedisTopology(RedisServer.builder().extraArgs(debugArgs()).start());
    try {
      for (int i = 0; i < replicaCount; i++) {
        topology.replicas.add(RedisServer.builder().replicaOf(topology.master).extraArgs(debugArgs()).start());
      }
    } catch (RuntimeException e) {
      topology.close();
      throw e;
    }
    return topology;
  }

  /** Redis 7 refuses {@code DEBUG} (used for {@code DEBUG SLEEP}) unless enabled; 6.2 rejects the option. */
  private static String[] debugArgs() {
    String version = RedisServer.binary().version();
    int major = version.indexOf('.') > 0 ? Integer.parseInt(version.substring(0, version.indexOf('.'))) : 0;
    return major >= 7 ? new String[] {"--enable-debug-command", "yes"} : new String[0];
  }

  /** The master. */
  public RedisServer master() {
    return master;
  }

  /** The replicas, in start order. */
  public List<RedisServer> replicas() {
    return List.copyOf(replicas);
  }

  /** Every server: the master first. */
  public List<RedisServer> servers() {
    List<RedisServer> all = new ArrayList<>();
    all.add(master);
    all.addAll(replicas);
    return all;
  }

  /** The key prefix of this topology's CacheManagers, unique per topology. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** CacheManager settings for this topology: {@code redis.uri} and {@code redis.key-prefix}. */
  public Properties managerProperties() {
    Properties properties = new Properties();
    properties.setProperty("redis.uri", master.uri());
    properties.setProperty("redis.key-prefix", keyPrefix);
    return properties;
  }

  /** Waits until every running replica has applied what the master had accepted. */
  public void awaitReplicasInSync() {
    for (RedisServer replica : replicas) {
      if (replica.isAlive()) {
        replica.awaitSync();
      }
    }
  }

  @Override
  public void close() {
    replicas.forEach(RedisServer::stop);
    master.stop();
  }

  @Override
  public String toString() {
    return "master " + master.uri() + ", replicas " + replicas.stream().map(RedisServer::uri).toList();
  }
}
