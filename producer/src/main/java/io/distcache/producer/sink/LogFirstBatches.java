package io.distcache.producer.sink;

import static io.distcache.protocol.script.sink.SinkScripts.ANNOUNCE;
import static io.distcache.protocol.script.sink.SinkScripts.COMMIT;
import static io.distcache.protocol.script.sink.SinkScripts.ENTRIES;
import static java.util.Objects.requireNonNull;

import io.distcache.protocol.namespace.Namespace;
import io.distcache.protocol.script.LuaScript;
import io.distcache.protocol.wire.StringBytesCodec;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Batches on Redis Cluster, where no script may touch a namespace's entries (spread over all slots)
 * together with its bookkeeping keys (one slot, the deployment's hash tag). Each batch runs in three
 * steps, each one started only when the one before has answered:
 *
 * <ol>
 *   <li>{@code announce} on the bookkeeping slot: fences the writer (generation, token, start offsets) and appends
 *       a change-log record for every write. Records come before data, so an edge always learns of a
 *       change no later than the change itself; a crash before step 2 only costs a spurious invalidation.</li>
 *   <li>{@code entries}, one script per slot group, all pipelined: the version rule per entry. With
 *       replica acknowledgements configured, {@code WAIT} on every master written then holds the batch
 *       until that many of its replicas have the entries, so a failover cannot lose entries whose offsets
 *       already moved.</li>
 *   <li>{@code commit} on the bookkeeping slot: fences again and moves the offsets. Commands to different
 *       nodes have no mutual order, so only the replies of step 2 prove the data is written before the
 *       offsets that cover it.</li>
 * </ol>
 *
 * <p>Consecutive batches overlap with the caller's work: {@link #send} returns at once, and a batch's
 * announce waits for the previous batch's commit, since it fences on the offsets that commit moves.
 * The previous batch's outcome is not inspected: a refused or failed batch leaves the offsets where the
 * next batch does not start, so the next one is refused by its own fence.
 */
final class LogFirstBatches {

  /** How long a master may wait for its replicas' acknowledgements ({@code WAIT}) before the batch fails. */
  static final long REPLICA_ACK_TIMEOUT_MILLIS = 1_000;

  private final StatefulRedisClusterConnection<String, byte[]> connection;
  private final RedisClusterAsyncCommands<String, byte[]> redis;
  private final Namespace namespace;
  private final String token;
  private final byte[] logMaxLength;
  private final byte[] tombstoneTtlMillis;
  private final int replicaAcks;
  private CompletableFuture<?> previous = CompletableFuture.completedFuture(null);

  LogFirstBatches(StatefulRedisClusterConnection<String, byte[]> connection, Namespace namespace, String token,
      byte[] logMaxLength, byte[] tombstoneTtlMillis, int replicaAcks) {
    this.connection = connection;
    this.redis = connection.async();
    this.namespace = requireNonNull(namespace, "namespace");
    this.token = requireNonNull(token, "token");
    this.logMaxLength = requireNonNull(logMaxLength, "logMaxLength");
    this.tombstoneTtlMillis = requireNonNull(tombstoneTtlMillis, "tombstoneTtlMillis");
    this.replicaAcks = replicaAcks;
  }

  /**
   * Starts a batch after the previous one.
   *
   * @param owners the owner token this instance holds per partition in a consumer group, {@code null} when it
   *     writes alone (see {@link ScriptArguments#moves(Map, Map)})
   * @return completes with the number of entries written, or {@code -1}/{@code -2}/{@code -3} when a fence refused
   *     (see {@link PendingBatch}); exceptionally when Redis failed
   */
  CompletableFuture<Long> send(List<EntryWrite> writes, Map<Integer, OffsetMove> moves, String generation,
      Map<Integer, String> owners) {
    Map<Integer, List<EntryWrite>> bySlot = bySlot(writes);
    CompletableFuture<Long> outcome = previous.handle((result, error) -> null)
        .thenCompose(ignored -> announce(writes, moves, generation, owners))
        .thenCompose(logged -> logged < 0 ? CompletableFuture.completedFuture(logged)
            : writeEntries(bySlot).thenCompose(written -> replicated(bySlot.keySet())
                .thenCompose(ignored -> commit(moves, generation, owners))
                .thenApply(committed -> committed < 0 ? committed : written)));
    previous = outcome;
    return outcome;
  }

  /**
   * Waits until the batches sent so far have run all their steps (or failed), so that a clear that follows
   * cannot be overtaken by an abandoned batch's entries.
   *
   * @return whether they finished within {@code timeoutMillis}
   */
  boolean awaitIdle(long timeoutMillis) {
    try {
      previous.handle((result, error) -> null).get(timeoutMillis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Step 1, in chunks: each fences on its own, and the offsets do not move before step 3. */
  private CompletableFuture<Long> announce(List<EntryWrite> writes, Map<Integer, OffsetMove> moves, String generation,
      Map<Integer, String> owners) {
    String[] keys = {namespace.metaKey(), namespace.logKey()};
    List<CompletableFuture<Long>> replies = new ArrayList<>();
    int from = 0;
    do {
      int to = Math.min(writes.size(), from + ScriptArguments.CHUNK);
      ScriptArguments arguments = new ScriptArguments().add(generation).add(token).add(logMaxLength)
          .moves(moves, owners);
      for (EntryWrite write : writes.subList(from, to)) {
        arguments.add(write.encodedKey()).add(write.version());
      }
      replies.add(run(ANNOUNCE, keys, arguments));
      from = to;
    } while (from < writes.size());
    return combine(replies);
  }

  /** The writes grouped by hash slot (a script may only touch one slot), in source order per group. */
  private Map<Integer, List<EntryWrite>> bySlot(List<EntryWrite> writes) {
    Map<Integer, List<EntryWrite>> bySlot = new LinkedHashMap<>();
    for (EntryWrite write : writes) {
      int slot = StringBytesCodec.slotOf(namespace.entryKey(write.encodedKey()));
      bySlot.computeIfAbsent(slot, unused -> new ArrayList<>()).add(write);
    }
    return bySlot;
  }

  /** Step 2. */
  private CompletableFuture<Long> writeEntries(Map<Integer, List<EntryWrite>> bySlot) {
    List<CompletableFuture<Long>> replies = new ArrayList<>();
    for (List<EntryWrite> group : bySlot.values()) {
      for (int from = 0; from < group.size(); from += ScriptArguments.CHUNK) {
        List<EntryWrite> chunk = group.subList(from, Math.min(group.size(), from + ScriptArguments.CHUNK));
        String[] keys = new String[chunk.size()];
        ScriptArguments arguments = new ScriptArguments().add(tombstoneTtlMillis);
        for (int i = 0; i < chunk.size(); i++) {
          EntryWrite write = chunk.get(i);
          keys[i] = namespace.entryKey(write.encodedKey());
          arguments.add(write.version()).add(write.envelope());
        }
        replies.add(run(ENTRIES, keys, arguments));
      }
    }
    return combine(replies);
  }

  /**
   * Between steps 2 and 3, when configured: {@code WAIT} on the connection of every master written (the
   * one that carried its entry writes), failing the batch unless enough replicas acknowledged in time.
   */
  private CompletableFuture<Void> replicated(Set<Integer> slots) {
    if (replicaAcks == 0 || slots.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    // the topology Lettuce routes by; during a slot move or failover it may trail the cluster for a moment
    Map<String, RedisURI> masters = new LinkedHashMap<>();
    for (int slot : slots) {
      RedisClusterNode master = connection.getPartitions().getMasterBySlot(slot);
      if (master == null) {
        return CompletableFuture.failedFuture(new SinkUnavailableException("no master is known for hash slot " + slot
            + "; the offsets stay where they were", null));
      }
      masters.putIfAbsent(master.getUri().getHost() + ":" + master.getUri().getPort(), master.getUri());
    }
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    masters.forEach((address, uri) -> waits.add(connection.getConnectionAsync(uri.getHost(), uri.getPort())
        .thenCompose(node -> node.async().waitForReplication(replicaAcks, REPLICA_ACK_TIMEOUT_MILLIS))
        .thenAccept(acks -> {
          if (acks < replicaAcks) {
            throw new SinkUnavailableException("only " + acks + " of " + replicaAcks + " replicas of the master at "
                + address + " acknowledged the batch's entries within " + REPLICA_ACK_TIMEOUT_MILLIS
                + " ms (WAIT); the offsets stay where they were", null);
          }
        })));
    return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
  }

  /** Step 3. */
  private CompletableFuture<Long> commit(Map<Integer, OffsetMove> moves, String generation,
      Map<Integer, String> owners) {
    return run(COMMIT, new String[] {namespace.metaKey()}, new ScriptArguments().add(generation).add(token)
        .moves(moves, owners));
  }

  /** Sums the replies, or, when any refused, the lowest refusal code (as the standalone path does). */
  private static CompletableFuture<Long> combine(List<CompletableFuture<Long>> replies) {
    return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(all -> {
      long sum = 0;
      long refused = 0;
      for (CompletableFuture<Long> reply : replies) {
        long value = reply.join();
        if (value < 0) {
          refused = Math.min(refused, value);
        } else {
          sum += value;
        }
      }
      return refused < 0 ? refused : sum;
    });
  }

  /** {@code EVALSHA}, and {@code EVAL} when the node lost its script cache (restart, failover, new node). */
  private CompletableFuture<Long> run(LuaScript script, String[] keys, ScriptArguments arguments) {
    return script.run(redis, ScriptOutputType.INTEGER, keys, arguments.toArray());
  }
}
