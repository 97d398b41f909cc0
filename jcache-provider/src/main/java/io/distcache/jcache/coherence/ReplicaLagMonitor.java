package io.distcache.jcache.coherence;

import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.jcache.redis.RedisConnections;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Notices replicas that stopped following their master — paused, cut off, or left behind by a dead
 * master — which keep answering with old data and say nothing. Each tick it writes the time to the
 * heartbeat key on the master and reads it back through every replica read mode in use; a read still
 * unanswered at the next tick, failed, or older than {@code outage.replica-max-lag} moves all reads
 * to the master until the replicas are current again.
 *
 * <p>Probes are asynchronous and judged one tick later, so a frozen replica never stalls the
 * follower thread that also delivers invalidations.
 */
final class ReplicaLagMonitor {

  private final RedisConnections connections;
  private final String heartbeatKey;
  private final long maxLagMillis;
  private List<Probe> pending = List.of();
  private boolean noReplicaKnown;

  ReplicaLagMonitor(RedisConnections connections, String heartbeatKey, Duration maxLag) {
    this.connections = connections;
    this.heartbeatKey = heartbeatKey;
    this.maxLagMillis = maxLag.toMillis();
  }

  /** Judges the previous tick's probes, then writes the heartbeat and sends new probes. */
  void tick(RedisCommands<String, byte[]> master) {
    if (!pending.isEmpty()) {
      connections.replicasLagging(pending.stream().anyMatch(this::isLagging));
    }
    var modes = connections.replicaModes();
    if (modes.isEmpty()) {
      pending = List.of();
      return;
    }
    if (noReplicaKnown) {
      connections.rediscoverReplicas();
      noReplicaKnown = false;
    }
    long now = System.currentTimeMillis();
    master.set(heartbeatKey, Long.toString(now).getBytes(StandardCharsets.US_ASCII));
    List<Probe> probes = new ArrayList<>(modes.size());
    for (ReadFrom mode : modes) {
      probes.add(probe(mode, now));
    }
    pending = probes;
  }

  private Probe probe(ReadFrom mode, long now) {
    try {
      return new Probe(now, connections.replicaAware(mode).get(heartbeatKey));
    } catch (RuntimeException e) {
      // Typically "no replica known": reconnect at the next tick to discover replicas again.
      noReplicaKnown = true;
      return new Probe(now, null);
    }
  }

  private boolean isLagging(Probe probe) {
    if (probe.reply == null || !probe.reply.isDone()) {
      return true;
    }
    try {
      byte[] seen = probe.reply.get();
      return seen == null
          || probe.sentAtMillis - Long.parseLong(new String(seen, StandardCharsets.US_ASCII)) > maxLagMillis;
    } catch (ExecutionException | NumberFormatException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private record Probe(long sentAtMillis, RedisFuture<byte[]> reply) {
  }
}
