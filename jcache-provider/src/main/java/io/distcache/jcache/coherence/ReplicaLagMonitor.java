package io.distcache.jcache.coherence;

import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.jcache.redis.RedisConnections;
import io.distcache.jcache.sabotage.Sabotage;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Notices replicas that stopped following their master — paused, cut off, or left behind by a dead
 * master — which keep answering with old data and say nothing. Each tick it writes the time to the
 * heartbeat key on the master and reads it back through every replica read mode in use; a read still
 * unanswered at the next tick, failed, or older than {@code outage.replica-max-lag} moves all reads
 * to the master until the replicas are current again.
 *
 * <p>After a namespace lost its data (its generation changed: FLUSHALL, a master restarted empty),
 * a replica keeps serving the old data until it has resynchronised, and a fresh heartbeat alone
 * does not show that. So reads stay on the master from the moment the change is seen until every
 * replica read mode in use returns the namespace's new generation.
 *
 * <p>Lettuce learns a master's replicas when it connects. In {@code replica} mode a connection that
 * knows none fails its reads, which moves reads to the master and reconnects; in
 * {@code replicaPreferred} mode it silently reads the master for good. So each tick also asks that
 * connection for its {@code ROLE}: when it answers from the master while the master lists replicas,
 * it reconnects to discover them.
 *
 * <p>Probes are asynchronous and judged one tick later, so a frozen replica never stalls the
 * follower thread that also delivers invalidations. Used by the follower thread only.
 */
final class ReplicaLagMonitor {

  private static final String GENERATION = "generation";

  private final RedisConnections connections;
  private final String heartbeatKey;
  private final long maxLagMillis;
  private List<Probe> pending = List.of();
  /** Per meta hash key, the generation replicas must show before reads return to them. */
  private final Map<String, Optional<String>> requiredGenerations = new HashMap<>();
  private List<GenerationProbe> pendingGenerations = List.of();
  private boolean noReplicaKnown;
  /** The {@code ROLE} of the node answering replica-preferred reads, asked at the last tick; null if not asked. */
  private RedisFuture<List<Object>> preferredRole;
  /** The replicas ({@code host:port}) the master listed at the last tick, empty for none. */
  private List<String> masterReplicas = List.of();
  /** The replicas the master listed when replica-preferred connections were last reconnected for missing them. */
  private List<String> rediscoveredFor;
  /** When this monitor first wrote the heartbeat; -1 before. */
  private long firstBeatMillis = -1;

  ReplicaLagMonitor(RedisConnections connections, String heartbeatKey, Duration maxLag) {
    this.connections = connections;
    this.heartbeatKey = heartbeatKey;
    this.maxLagMillis = maxLag.toMillis();
  }

  /**
   * Moves reads to the master now, until replicas show {@code generation} (or no generation, for
   * {@code null}) in {@code metaKey}: a namespace's generation changed and replicas may still hold
   * the data it replaced.
   */
  void requireGeneration(String metaKey, String generation) {
    if (connections.replicaModes().isEmpty()) {
      return;
    }
    requiredGenerations.put(metaKey, Optional.ofNullable(generation));
    connections.replicasLagging(true);
  }

  /**
   * Sends the heartbeat, and the master's {@code ROLE} when replica-preferred reads need it, without waiting: the
   * follower sends them with its other once-a-second commands and waits once, then calls {@link #tick}.
   */
  Beat beat(RedisAsyncCommands<String, byte[]> master) {
    Set<ReadFrom> modes = connections.replicaModes();
    long now = System.currentTimeMillis();
    if (modes.isEmpty()) {
      return new Beat(modes, now, null, null);
    }
    boolean askRole = !connections.isCluster() && modes.contains(ReadFrom.REPLICA_PREFERRED);
    return new Beat(modes, now, master.set(heartbeatKey, Long.toString(now).getBytes(StandardCharsets.US_ASCII)),
        askRole ? master.role() : null);
  }

  /** Judges the previous tick's probes, then waits for {@code beat} and sends new probes. */
  void tick(Beat beat, Duration timeout) {
    boolean generationsBehind = judgeGenerations();
    if (!pending.isEmpty() || generationsBehind) {
      connections.replicasLagging(generationsBehind || pending.stream().anyMatch(this::isLagging));
    }
    Set<ReadFrom> modes = beat.modes();
    if (modes.isEmpty()) {
      pending = List.of();
      requiredGenerations.clear();
      return;
    }
    if (replicaPreferredMissesReplicas()) {
      // Once per set of replicas: one this client cannot reach (a wrong announce address) must not cost the
      // application its reader connections every second.
      rediscoveredFor = masterReplicas;
      noReplicaKnown = true;
    }
    if (noReplicaKnown) {
      connections.rediscoverReplicas();
      noReplicaKnown = false;
    }
    askRoles(beat, timeout);
    ChangeLogFollower.awaited(beat.heartbeat(), timeout);
    long now = beat.sentAtMillis();
    if (firstBeatMillis < 0) {
      firstBeatMillis = now;
    }
    List<Probe> probes = new ArrayList<>(modes.size());
    List<GenerationProbe> generationProbes = new ArrayList<>();
    for (ReadFrom mode : modes) {
      probes.add(probe(mode, now));
      requiredGenerations.keySet().forEach(metaKey ->
          generationProbes.add(probeGeneration(mode, metaKey)));
    }
    pending = probes;
    pendingGenerations = generationProbes;
  }

  /** Whether, at the last tick, replica-preferred reads were answered by the master although it had replicas. */
  private boolean replicaPreferredMissesReplicas() {
    RedisFuture<List<Object>> role = preferredRole;
    if (role == null || masterReplicas.isEmpty() || masterReplicas.equals(rediscoveredFor) || !role.isDone()) {
      return false;
    }
    try {
      List<Object> reply = role.get();
      return !reply.isEmpty() && "master".equals(String.valueOf(reply.get(0)));
    } catch (ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void askRoles(Beat beat, Duration timeout) {
    preferredRole = null;
    if (beat.masterRole() == null) {
      return;
    }
    masterReplicas = replicasOf(ChangeLogFollower.awaited(beat.masterRole(), timeout));
    if (!masterReplicas.isEmpty()) {
      try {
        preferredRole = connections.replicaAware(ReadFrom.REPLICA_PREFERRED).role();
      } catch (RuntimeException e) {
        preferredRole = null;
      }
    }
  }

  /** The {@code host:port} of each replica in a master's {@code ROLE} reply (each is host, port, offset). */
  private static List<String> replicasOf(List<Object> role) {
    if (role.size() < 3 || !(role.get(2) instanceof List<?> replicas)) {
      return List.of();
    }
    List<String> addresses = new ArrayList<>(replicas.size());
    for (Object replica : replicas) {
      if (replica instanceof List<?> fields && fields.size() >= 2) {
        addresses.add(text(fields.get(0)) + ':' + text(fields.get(1)));
      }
    }
    return addresses;
  }

  private static String text(Object field) {
    return field instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(field);
  }

  /** Whether a replica still lacked a required generation at the last probe; drops the requirements met. */
  private boolean judgeGenerations() {
    if (requiredGenerations.isEmpty()) {
      return false;
    }
    Set<String> behind = new HashSet<>();
    Set<String> probed = new HashSet<>();
    for (GenerationProbe probe : pendingGenerations) {
      probed.add(probe.metaKey);
      if (!probe.shows(requiredGenerations.get(probe.metaKey))) {
        behind.add(probe.metaKey);
      }
    }
    requiredGenerations.keySet().removeIf(metaKey -> probed.contains(metaKey) && !behind.contains(metaKey));
    return !requiredGenerations.isEmpty();
  }

  private GenerationProbe probeGeneration(ReadFrom mode, String metaKey) {
    try {
      return new GenerationProbe(metaKey, connections.replicaAware(mode).hget(metaKey, GENERATION));
    } catch (RuntimeException e) {
      return new GenerationProbe(metaKey, null);
    }
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
    if (Sabotage.IGNORE_REPLICA_HEARTBEAT.isActive()) {
      return false;
    }
    if (probe.reply == null || !probe.reply.isDone()) {
      return true;
    }
    try {
      byte[] seen = probe.reply.get();
      if (seen == null) {
        // No heartbeat at all: lagging once ours has had time to arrive (on the first tick it may not have).
        return probe.sentAtMillis - firstBeatMillis > maxLagMillis;
      }
      return probe.sentAtMillis - Long.parseLong(new String(seen, StandardCharsets.US_ASCII)) > maxLagMillis;
    } catch (ExecutionException | NumberFormatException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private record Probe(long sentAtMillis, RedisFuture<byte[]> reply) {
  }

  /**
   * One tick's commands to the master, sent but maybe not answered yet.
   *
   * @param modes the replica read modes in use when it was sent; none: nothing was sent
   * @param sentAtMillis the time the heartbeat carries
   * @param heartbeat the heartbeat's {@code SET}, {@code null} when nothing was sent
   * @param masterRole the master's {@code ROLE}, {@code null} when replica-preferred reads need none
   */
  record Beat(Set<ReadFrom> modes, long sentAtMillis, RedisFuture<String> heartbeat,
      RedisFuture<List<Object>> masterRole) {
  }

  /** A replica's answer to "which generation does this namespace have". */
  private record GenerationProbe(String metaKey, RedisFuture<byte[]> reply) {

    boolean shows(Optional<String> required) {
      if (reply == null || !reply.isDone()) {
        return false;
      }
      try {
        byte[] seen = reply.get();
        return required.equals(Optional.ofNullable(seen).map(raw -> new String(raw, StandardCharsets.UTF_8)));
      } catch (ExecutionException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
