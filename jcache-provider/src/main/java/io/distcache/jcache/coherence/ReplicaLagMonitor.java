package io.distcache.jcache.coherence;

import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.jcache.redis.RedisConnections;
import io.distcache.protocol.sabotage.Sabotage;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * connection for its role ({@code INFO replication}): when it answers from the master while the master
 * lists replicas, it reconnects to discover them.
 *
 * <p>Probes are asynchronous and judged one tick later, so a frozen replica never stalls the
 * follower thread that also delivers invalidations. Used by the follower thread only.
 */
final class ReplicaLagMonitor {

  private static final String GENERATION = "generation";
  private static final String REPLICATION = "replication";
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaLagMonitor.class);

  private final RedisConnections connections;
  private final String heartbeatKey;
  private final long maxLagMillis;
  private List<Probe> pending = List.of();
  /** Per meta hash key, the generation replicas must show before reads return to them. */
  private final Map<String, Optional<String>> requiredGenerations = new HashMap<>();
  private List<GenerationProbe> pendingGenerations = List.of();
  private boolean noReplicaKnown;
  /** The {@code INFO replication} of the node answering replica-preferred reads, asked at the last tick, or null. */
  private RedisFuture<String> preferredReplication;
  /** Whether a refused {@code INFO replication} was logged (once: the ACL does not change). */
  private boolean replicationRefusedLogged;
  /** The replicas ({@code host:port}) the master listed at the last tick, empty for none. */
  private List<String> masterReplicas = List.of();
  /** The replicas the master listed when replica-preferred connections were last reconnected for missing them. */
  private List<String> rediscoveredFor;
  /** When this monitor first wrote the heartbeat; -1 before. */
  private long firstBeatMillis = -1;

  ReplicaLagMonitor(RedisConnections connections, String heartbeatKey, Duration maxLag) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.heartbeatKey = Objects.requireNonNull(heartbeatKey, "heartbeatKey");
    this.maxLagMillis = Objects.requireNonNull(maxLag, "maxLag").toMillis();
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
   * Sends the heartbeat, and asks the master for its replicas when replica-preferred reads need them, without
   * waiting: the follower sends them with its other once-a-second commands and waits once, then calls {@link #tick}.
   */
  Beat beat(RedisAsyncCommands<String, byte[]> master) {
    Set<ReadFrom> modes = connections.replicaModes();
    long now = System.currentTimeMillis();
    if (modes.isEmpty()) {
      return new Beat(modes, now, null, null);
    }
    boolean askReplicas = !connections.isCluster() && modes.contains(ReadFrom.REPLICA_PREFERRED);
    return new Beat(modes, now, master.set(heartbeatKey, Long.toString(now).getBytes(StandardCharsets.US_ASCII)),
        askReplicas ? master.info(REPLICATION) : null);
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
      // A mode that came into use since the beat may have required a generation already: the next tick probes it.
      if (connections.replicaModes().isEmpty()) {
        requiredGenerations.clear();
      }
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
    Replies.awaited(beat.heartbeat(), timeout);
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
    RedisFuture<String> replication = preferredReplication;
    if (replication == null || masterReplicas.isEmpty() || masterReplicas.equals(rediscoveredFor)
        || !replication.isDone()) {
      return false;
    }
    try {
      return isMaster(replication.get());
    } catch (ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Reads the master's replicas from the beat, and asks the node answering replica-preferred reads for its role.
   * {@code INFO}, not {@code ROLE}: the ACL the provider documents grants {@code +info} and denies
   * {@code @dangerous}, which holds {@code ROLE}; a refusal must not stop the follower, which sends this with its
   * reads of the change log.
   */
  private void askRoles(Beat beat, Duration timeout) {
    preferredReplication = null;
    if (beat.masterReplication() == null) {
      return;
    }
    try {
      masterReplicas = replicasOf(Replies.awaited(beat.masterReplication(), timeout));
    } catch (RedisCommandExecutionException e) {
      if (!Replies.isRefusal(e)) {
        throw e; // LOADING, READONLY...: the follower's step ends and it reconnects, as for its other checks
      }
      masterReplicas = List.of();
      if (!replicationRefusedLogged) {
        replicationRefusedLogged = true;
        LOG.warn("Redis refused INFO replication ({}): replica-preferred reads that reach the master are not moved to"
            + " replicas found later; grant +info to the user", e.getMessage());
      }
      return;
    }
    if (!masterReplicas.isEmpty()) {
      try {
        preferredReplication = connections.replicaAware(ReadFrom.REPLICA_PREFERRED).info(REPLICATION);
      } catch (RuntimeException e) {
        preferredReplication = null;
      }
    }
  }

  /**
   * The {@code host:port} of each online replica in a master's {@code INFO replication}
   * ({@code slaveN:ip=..,port=..,state=online,..}): as {@code ROLE} lists them, and as Lettuce discovers them. A
   * replica still syncing is left out, or the connection rediscovered while it syncs would never be again.
   */
  static List<String> replicasOf(String replication) {
    List<String> addresses = new ArrayList<>();
    for (String line : replication.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (!line.startsWith("slave") || colon <= 5 || !Character.isDigit(line.charAt(5))) {
        continue;
      }
      String ip = null;
      String port = null;
      boolean online = false;
      for (String field : line.substring(colon + 1).split(",")) {
        if (field.startsWith("ip=")) {
          ip = field.substring(3);
        } else if (field.startsWith("port=")) {
          port = field.substring(5);
        } else if (field.equals("state=online")) {
          online = true;
        }
      }
      if (ip != null && port != null && online) {
        addresses.add(ip + ':' + port);
      }
    }
    return addresses;
  }

  /** Whether an {@code INFO replication} reply came from a master. */
  static boolean isMaster(String replication) {
    return replication.contains("role:master");
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
   * @param masterReplication the master's {@code INFO replication}, {@code null} when replica-preferred reads need
   *     none
   */
  record Beat(Set<ReadFrom> modes, long sentAtMillis, RedisFuture<String> heartbeat,
      RedisFuture<String> masterReplication) {
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
