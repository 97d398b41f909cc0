package io.distcache.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster of {@code redis-server} processes on loopback: masters sharing the 16,384
 * slots evenly, each with the same number of replicas, formed with {@code CLUSTER MEET},
 * {@code CLUSTER ADDSLOTS} and {@code CLUSTER REPLICATE} (no {@code redis-cli} needed).
 *
 * <p>Every node gets a port whose cluster bus port (port + 10000) is free too, since the embedded
 * 6.2 binary has no {@code --cluster-port}. Failure detection is short (node timeout 1 s) so
 * failover tests finish in seconds. Nodes keep their {@code nodes.conf} across
 * {@link RedisServer#kill()} and {@link RedisServer#restart()}, so a restarted node rejoins with its
 * identity (and no data). Nodes still running when the JVM exits are killed.
 */
public final class RedisCluster implements AutoCloseable {

  /** The number of hash slots of every Redis Cluster. */
  public static final int SLOTS = 16384;

  private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
  private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(20);
  private static final int BUS_PORT_OFFSET = 10000;
  private static final long POLL_MILLIS = 20;

  private final List<RedisServer> masters;
  private final List<RedisServer> replicas;

  private RedisCluster(List<RedisServer> masters, List<RedisServer> replicas) {
    this.masters = List.copyOf(masters);
    this.replicas = List.copyOf(replicas);
  }

  /**
   * Starts a cluster and waits until every node reports {@code cluster_state:ok}, knows every
   * other node, and every replica's link to its master is up.
   *
   * @param masterCount       masters, at least 1
   * @param replicasPerMaster replicas of each master, at least 0
   * @param extraArgs         options every node gets, as for {@link RedisServer.Builder#extraArgs(String...)}
   * @return the formed cluster
   * @throws IllegalStateException if it does not form within 20 s; stopped nodes are cleaned up
   */
  public static RedisCluster start(int masterCount, int replicasPerMaster, String... extraArgs) {
    if (masterCount < 1 || replicasPerMaster < 0) {
      throw new IllegalArgumentException("need at least one master and no negative replica count, got "
          + masterCount + " masters and " + replicasPerMaster + " replicas each");
    }
    List<RedisServer> masters = new ArrayList<>();
    List<RedisServer> replicas = new ArrayList<>();
    try {
      for (int i = 0; i < masterCount; i++) {
        masters.add(startNode(extraArgs));
      }
      for (int i = 0; i < masterCount * replicasPerMaster; i++) {
        replicas.add(startNode(extraArgs));
      }
      RedisCluster cluster = new RedisCluster(masters, replicas);
      cluster.form(replicasPerMaster);
      LOG.debug("Formed {}", cluster);
      return cluster;
    } catch (RuntimeException e) {
      masters.forEach(RedisServer::stop);
      replicas.forEach(RedisServer::stop);
      throw e;
    }
  }

  private static RedisServer startNode(String... extraArgs) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = FreePorts.findWithOffsetFree(BUS_PORT_OFFSET);
      try {
        return RedisServer.builder()
            .port(port)
            .extraArgs("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "1000", "--cluster-replica-validity-factor", "0")
            .extraArgs(extraArgs)
            .start();
      } catch (IllegalStateException e) {
        // Another process may take the port (or its bus port) before the node binds it.
        last = e;
      }
    }
    throw last;
  }

  private void form(int replicasPerMaster) {
    RedisServer first = masters.get(0);
    for (RedisServer node : nodes()) {
      if (node != first) {
        node.command("CLUSTER", "MEET", first.host(), Integer.toString(first.port()));
      }
    }
    assignSlots();
    int total = nodes().size();
    awaitCondition("every node to know the other " + (total - 1), () -> nodes().stream()
        .allMatch(node -> node.command("CLUSTER", "NODES").lines().count() == total));
    for (int i = 0; i < replicas.size(); i++) {
      RedisServer master = masters.get(i / replicasPerMaster);
      replicas.get(i).command("CLUSTER", "REPLICATE", nodeId(master));
    }
    awaitCondition("cluster_state:ok on every node and every replica linked", this::healthy);
  }

  private void assignSlots() {
    int count = masters.size();
    for (int i = 0; i < count; i++) {
      int from = SLOTS * i / count;
      int to = SLOTS * (i + 1) / count;
      List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = from; slot < to; slot++) {
        args.add(Integer.toString(slot));
      }
      masters.get(i).command(args.toArray(String[]::new));
    }
  }

  private boolean healthy() {
    for (RedisServer node : nodes()) {
      if (!node.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
        return false;
      }
    }
    for (RedisServer replica : replicas) {
      if (!replica.command("INFO", "replication").contains("master_link_status:up")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until the cluster is healthy again, for example after a killed master's replica was
   * promoted or a killed node was restarted: every running node reports {@code cluster_state:ok}
   * and sees every slot-holding master connected and not failing.
   *
   * @throws IllegalStateException if it is not within 20 s
   */
  public void awaitHealthy() {
    awaitCondition("every slot served by a reachable master", () -> nodes().stream()
        .filter(RedisServer::isAlive)
        .allMatch(node -> node.command("CLUSTER", "INFO").contains("cluster_state:ok")
            && slotHoldersReachable(node)));
  }

  /** Fields of a {@code CLUSTER NODES} line: id, address, flags, master, ping, pong, epoch, link, slots... */
  private static boolean slotHoldersReachable(RedisServer observer) {
    return observer.command("CLUSTER", "NODES").lines()
        .map(line -> line.split(" "))
        .filter(fields -> fields.length > 8 && fields[2].contains("master"))
        .allMatch(fields -> !fields[2].contains("fail") && fields[7].equals("connected"));
  }

  private void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + FORMATION_TIMEOUT.toNanos();
    RuntimeException lastError = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
    throw new IllegalStateException("Redis Cluster " + this + " did not reach " + what + " within "
        + FORMATION_TIMEOUT.toSeconds() + " s", lastError);
  }

  /**
   * The cluster node id of a node.
   *
   * @param node a node of this cluster
   * @return its 40-character id
   */
  public static String nodeId(RedisServer node) {
    return node.command("CLUSTER", "MYID");
  }

  /**
   * The node currently serving a key's slot as master (after a failover, possibly a former replica).
   *
   * @param key a Redis key (hash tags honoured)
   * @return the running master owning the key's slot
   * @throws IllegalStateException if no running node claims the slot as master
   */
  public RedisServer masterOf(String key) {
    int slot = Integer.parseInt(anyRunningNode().command("CLUSTER", "KEYSLOT", key));
    for (RedisServer node : nodes()) {
      if (node.isAlive() && node.command("ROLE").startsWith("master") && ownsSlot(node, slot)) {
        return node;
      }
    }
    throw new IllegalStateException("no running master serves slot " + slot + " of key " + key);
  }

  private static boolean ownsSlot(RedisServer node, int slot) {
    String myself = node.command("CLUSTER", "NODES").lines()
        .filter(line -> line.contains("myself")).findFirst().orElse("");
    String[] fields = myself.split(" ");
    for (int i = 8; i < fields.length; i++) {
      String range = fields[i];
      if (range.startsWith("[")) {
        continue;
      }
      int dash = range.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
      if (slot >= from && slot <= to) {
        return true;
      }
    }
    return false;
  }

  private RedisServer anyRunningNode() {
    return nodes().stream().filter(RedisServer::isAlive).findFirst()
        .orElseThrow(() -> new IllegalStateException("no node of " + this + " is running"));
  }

  /**
   * The masters as started, in slot order.
   *
   * @return the masters
   */
  public List<RedisServer> masters() {
    return masters;
  }

  /**
   * The replicas as started: those of master 0 first, then master 1's, and so on.
   *
   * @return the replicas
   */
  public List<RedisServer> replicas() {
    return replicas;
  }

  /**
   * Every node, masters first.
   *
   * @return masters and replicas
   */
  public List<RedisServer> nodes() {
    List<RedisServer> all = new ArrayList<>(masters);
    all.addAll(replicas);
    return all;
  }

  /**
   * A seed URI for cluster clients: the first master.
   *
   * @return {@code redis://127.0.0.1:<port>}
   */
  public String uri() {
    return masters.get(0).uri();
  }

  /**
   * Every master as a seed node in one URI, the form cluster clients accept so they can start
   * while some seed is down.
   *
   * @return {@code redis://127.0.0.1:<port>,127.0.0.1:<port>,...}
   */
  public String seedsUri() {
    return "redis://" + String.join(",", masters.stream().map(node -> node.host() + ":" + node.port()).toList());
  }

  /** Runs {@code FLUSHALL} on every running master (replicas follow). */
  public void flushAll() {
    nodes().stream().filter(RedisServer::isAlive)
        .filter(node -> node.command("ROLE").startsWith("master"))
        .forEach(node -> node.command("FLUSHALL"));
  }

  /** Stops every node and deletes its directory. */
  @Override
  public void close() {
    nodes().forEach(RedisServer::stop);
  }

  @Override
  public String toString() {
    return "RedisCluster" + nodes().stream().map(node -> Objects.toString(node.port())).toList();
  }
}
