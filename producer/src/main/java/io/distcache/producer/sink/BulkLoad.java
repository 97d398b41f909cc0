package io.distcache.producer.sink;

import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.namespace.Namespace;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Bulk-loads batches into a generation being built, with native commands in one transaction: Lua would cost
 * Redis about three times as much per record (every argument copied into Lua and back). The fence is
 * optimistic: {@code WATCH} the meta hash, read the fields a fenced script would check, and only then
 * queue the writes and the build's offset moves; any change of the meta hash in between (a claim taken
 * over, a new generation or build, a rebuild request) makes {@code EXEC} write nothing.
 */
final class BulkLoad {

  /** Entries per bulk-load {@code MSET}: each is cheap, so more fit before one command stalls Redis (~1 ms). */
  static final int BULK_CHUNK = 1000;
  /** Bytes of envelopes per bulk-load command at most (a value alone may be larger: it gets a command of its own). */
  static final int BULK_CHUNK_BYTES = 8 * 1024 * 1024;
  /** The meta hash field prefix of a build's next offset per partition. */
  static final String BUILD_OFFSET_FIELD = "shadow-offset:";
  private static final String GENERATION_FIELD = "generation";
  private static final String WRITER_FIELD = "writer";
  private static final String BUILD_FIELD = "shadow";

  private final SinkConnection connection;
  private final RedisTarget target;
  private final Namespace namespace;
  private final String token;
  private final long tombstoneTtlMillis;

  /**
   * Wires the bulk load of a namespace.
   *
   * @param token the writer's fencing token
   * @param tombstoneTtlMillis how long a tombstone stays
   */
  BulkLoad(SinkConnection connection, RedisTarget target, Namespace namespace, String token,
      long tombstoneTtlMillis) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.target = Objects.requireNonNull(target, "target");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.token = Objects.requireNonNull(token, "token");
    this.tombstoneTtlMillis = tombstoneTtlMillis;
  }

  /** Sends a batch into {@code build}, fenced as a script would be; the moves start from the build's offsets. */
  PendingBatch send(List<EntryWrite> writes, Map<Integer, OffsetMove> moves, String generation, Build build) {
    RedisAsyncCommands<String, byte[]> redis = connection.transactional();
    List<String> fields = new ArrayList<>(List.of(GENERATION_FIELD, WRITER_FIELD, BUILD_FIELD));
    moves.keySet().forEach(partition -> fields.add(BUILD_OFFSET_FIELD + partition));
    redis.watch(namespace.metaKey());
    List<KeyValue<String, byte[]>> fence = connection.await(
        redis.hmget(namespace.metaKey(), fields.toArray(String[]::new)), "HMGET meta");
    long refused = fenceRefusal(fence, generation, build, moves);
    if (refused < 0) {
      connection.await(redis.unwatch(), "UNWATCH");
      return new PendingBatch(writes.size(), moves, () -> refused);
    }
    Namespace space = namespace.inSpace(build.space());
    redis.multi();
    List<RedisFuture<?>> queued = new ArrayList<>();
    for (List<EntryWrite> chunk : bulkChunks(writes)) {
      queueInSourceOrder(redis, space, chunk, queued);
    }
    Map<String, byte[]> offsets = new LinkedHashMap<>();
    moves.forEach((partition, move) -> offsets.put(BUILD_OFFSET_FIELD + partition,
        ScriptArguments.utf8(Long.toString(move.next()))));
    if (!offsets.isEmpty()) {
      queued.add(redis.hset(namespace.metaKey(), offsets));
    }
    RedisFuture<TransactionResult> exec = redis.exec();
    return new PendingBatch(writes.size(), moves, () -> {
      TransactionResult result;
      try {
        result = connection.await(exec, "EXEC");
      } catch (SinkUnavailableException e) {
        // EXECABORT: a command was refused when queued (OOM, say); name that refusal, not the abort
        throw queuedRefusal(queued).orElse(e);
      }
      for (Object reply : result) {
        if (reply instanceof Exception e) {
          throw new SinkUnavailableException("namespace " + namespace + ": a bulk load into generation "
              + build.generation() + " failed against " + target + " (" + e.getMessage() + "); the batch will be"
              + " retried", e);
        }
      }
      return result.wasDiscarded() ? PendingBatch.OFFSETS_MOVED : writes.size();
    });
  }

  /**
   * What a fenced script would answer (see {@code fence} in library.lua, and {@code shadow}), from the meta
   * fields read under {@code WATCH}: 0 when the batch may be written.
   */
  private long fenceRefusal(List<KeyValue<String, byte[]>> fence, String generation, Build build,
      Map<Integer, OffsetMove> moves) {
    if (!generation.equals(ScriptArguments.text(fence.get(0).getValueOrElse(null)))
        || !build.generation().equals(ScriptArguments.text(fence.get(2).getValueOrElse(null)))) {
      return PendingBatch.GENERATION_CHANGED;
    }
    if (!token.equals(ScriptArguments.text(fence.get(1).getValueOrElse(null)))) {
      return PendingBatch.FENCED;
    }
    int index = 3;
    for (OffsetMove move : moves.values()) {
      String stored = fence.get(index++).hasValue() ? ScriptArguments.text(fence.get(index - 1).getValue()) : "";
      if (!stored.equals(move.expected() == null ? "" : Long.toString(move.expected()))) {
        return PendingBatch.OFFSETS_MOVED;
      }
    }
    return 0;
  }

  /**
   * Queues a chunk's writes so each key ends with its last write in source order: runs of values as one
   * {@code MSET} (which sets in order), each tombstone as {@code SET … PX} after the run before it.
   */
  private void queueInSourceOrder(RedisAsyncCommands<String, byte[]> redis, Namespace space, List<EntryWrite> chunk,
      List<RedisFuture<?>> queued) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    for (EntryWrite write : chunk) {
      String key = space.entryKey(write.encodedKey());
      if ((write.envelope()[0] & Envelope.TOMBSTONE) != 0) {
        if (!values.isEmpty()) {
          queued.add(redis.mset(values));
          values = new LinkedHashMap<>();
        }
        queued.add(redis.set(key, write.envelope(), SetArgs.Builder.px(tombstoneTtlMillis)));
      } else {
        // a key written twice in one run keeps its later value, as the map replaces it in place
        values.put(key, write.envelope());
      }
    }
    if (!values.isEmpty()) {
      queued.add(redis.mset(values));
    }
  }

  /** The first refusal among commands queued in a transaction that {@code EXEC} then aborted. */
  private Optional<SinkUnavailableException> queuedRefusal(List<RedisFuture<?>> queued) {
    for (RedisFuture<?> command : queued) {
      if (command.isDone() && command.toCompletableFuture().isCompletedExceptionally()) {
        try {
          command.get();
        } catch (ExecutionException | InterruptedException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          return Optional.of(new SinkUnavailableException("namespace " + namespace + ": " + target
              + " refused a bulk-load command (" + cause.getMessage() + "); the batch will be retried", cause));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Splits a batch into bulk-load commands of at most {@link #BULK_CHUNK} entries and {@link #BULK_CHUNK_BYTES}
   * bytes (large values must not make one command outgrow Redis's query buffer); a batch always has one.
   */
  private static List<List<EntryWrite>> bulkChunks(List<EntryWrite> writes) {
    List<List<EntryWrite>> chunks = new ArrayList<>();
    int from = 0;
    long bytes = 0;
    for (int i = 0; i < writes.size(); i++) {
      bytes += writes.get(i).envelope().length;
      if (i + 1 - from == BULK_CHUNK || bytes >= BULK_CHUNK_BYTES) {
        chunks.add(writes.subList(from, i + 1));
        from = i + 1;
        bytes = 0;
      }
    }
    if (from < writes.size() || chunks.isEmpty()) {
      chunks.add(writes.subList(from, writes.size()));
    }
    return chunks;
  }
}
