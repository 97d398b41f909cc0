package io.distcache.producer.sink;

import io.distcache.jcache.codec.Envelope;
import io.distcache.jcache.namespace.Namespace;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Writes one producer namespace (DESIGN.md §3, §5): batches of entry writes under the version rule with
 * their change-log records and the next source offsets, plus the meta hash (generation, owner, offsets).
 *
 * <p>On a standalone or Sentinel master each chunk of a batch is one {@code apply} script: data, log
 * records and (with the last chunk) offsets in one atomic step. On Redis Cluster a batch follows the
 * log-first protocol of {@link LogFirstBatches}. Either way every call that changes data names the
 * generation it belongs to and the offsets it starts from, and Redis refuses it when the meta hash
 * holds others: a {@code FLUSHALL}, a failover to an empty node or a second instance is noticed on the
 * next batch.
 */
public final class NamespaceSink {

  /** Entry writes per script call: large enough to amortise the call, small enough not to stall Redis. */
  static final int CHUNK = 500;
  private static final SinkScript APPLY = SinkScript.load("apply");
  private static final SinkScript OPEN = SinkScript.load("open");
  private static final SinkScript CLEARED = SinkScript.load("cleared");
  private static final long TIMEOUT_MILLIS = RedisTarget.COMMAND_TIMEOUT.toMillis();
  /** A cluster batch is up to three round trips of commands, each allowed the command timeout. */
  private static final long CLUSTER_BATCH_TIMEOUT_MILLIS = 3 * TIMEOUT_MILLIS;

  private final RedisTarget target;
  private final Namespace namespace;
  private final byte[] logMaxLength;
  private final byte[] tombstoneTtlMillis;
  private RedisTarget.Link link;
  private LogFirstBatches logFirst;

  /**
   * Creates the sink of a namespace.
   *
   * @param target the Redis deployment; the sink connects on first use and after a failed connect, and
   *     the client's reconnects cover later outages
   */
  public NamespaceSink(RedisTarget target, Namespace namespace, long logMaxLength, Duration tombstoneTtl) {
    this.target = target;
    this.namespace = namespace;
    this.logMaxLength = ScriptArguments.utf8(Long.toString(logMaxLength));
    this.tombstoneTtlMillis = ScriptArguments.utf8(Long.toString(Math.max(1, tombstoneTtl.toMillis())));
  }

  /** The namespace written. */
  public Namespace namespace() {
    return namespace;
  }

  /**
   * Loads the batch scripts into the script cache of every master. Batches are pipelined, and a batch
   * sent while the cache lacks the script is re-sent after later ones; the offset check refuses those
   * later ones safely, but each refusal costs a reopen, so the scripts are loaded before the first batch.
   */
  public void loadScripts() {
    List<SinkScript> scripts = target.isCluster()
        ? List.of(LogFirstBatches.ANNOUNCE, LogFirstBatches.ENTRIES, LogFirstBatches.COMMIT) : List.of(APPLY);
    for (SinkScript script : scripts) {
      // on a cluster connection SCRIPT LOAD goes to every node
      await(redis().scriptLoad(script.source()), "SCRIPT LOAD " + script.name());
    }
  }

  /** The generation in the meta hash, or {@code null} when the namespace has none (new, flushed, lost). */
  public String generation() {
    byte[] raw = await(redis().hget(namespace.metaKey(), "generation"), "HGET generation");
    return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
  }

  /**
   * Records {@code candidate} as the namespace's generation unless it has one, with the owner and codec.
   *
   * @return the generation in force: {@code candidate}, or the one another producer instance recorded first
   */
  public String open(String candidate, String owner, String valueType) {
    Object reply = script(OPEN, new String[] {namespace.metaKey()}, new ScriptArguments().add(candidate).add(owner)
        .add(Envelope.CODEC_KRYO).add(valueType));
    return new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  /** The next offset per partition recorded in the meta hash. */
  public Map<Integer, Long> offsets() {
    Map<String, byte[]> meta = await(redis().hgetall(namespace.metaKey()), "HGETALL meta");
    Map<Integer, Long> offsets = new TreeMap<>();
    meta.forEach((field, value) -> {
      if (field.startsWith(ScriptArguments.OFFSET_FIELD)) {
        offsets.put(Integer.parseInt(field.substring(ScriptArguments.OFFSET_FIELD.length())),
            Long.parseLong(new String(value, StandardCharsets.US_ASCII)));
      }
    });
    return offsets;
  }

  /**
   * Sends a batch without waiting: its writes in order, then its offset moves, unless the namespace's
   * generation changed or its stored offsets are not the ones the moves start from. Batches sent on
   * this sink are applied in the order sent, so the caller may prepare the next batch meanwhile.
   *
   * @param writes the batch, in source order
   * @param moves per partition, the stored offset the batch starts from and the one after its last record
   * @param generation the generation the caller wrote so far
   */
  public PendingBatch send(List<EntryWrite> writes, Map<Integer, OffsetMove> moves, String generation) {
    if (target.isCluster()) {
      if (logFirst == null) {
        redis();
        logFirst = new LogFirstBatches(link.cluster(), namespace, logMaxLength, tombstoneTtlMillis, target.replicaAcks());
      }
      Future<Long> outcome = logFirst.send(writes, moves, generation);
      return new PendingBatch(writes.size(), moves, () -> await(outcome, "batch", CLUSTER_BATCH_TIMEOUT_MILLIS));
    }
    List<RedisFuture<Long>> replies = new ArrayList<>();
    List<byte[][]> chunks = new ArrayList<>();
    int from = 0;
    do {
      int to = Math.min(writes.size(), from + CHUNK);
      byte[][] arguments = applyArguments(writes.subList(from, to), to == writes.size() ? moves : Map.of(), generation);
      chunks.add(arguments);
      replies.add(redis().evalsha(APPLY.sha(), ScriptOutputType.INTEGER, applyKeys(writes.subList(from, to)), arguments));
      from = to;
    } while (from < writes.size());
    return new PendingBatch(writes.size(), moves, () -> awaitChunks(writes, chunks, replies));
  }

  private long awaitChunks(List<EntryWrite> writes, List<byte[][]> chunks, List<RedisFuture<Long>> replies) {
    long applied = 0;
    long refused = 0;
    for (int i = 0; i < replies.size(); i++) {
      String[] keys = applyKeys(writes.subList(i * CHUNK, Math.min(writes.size(), (i + 1) * CHUNK)));
      byte[][] arguments = chunks.get(i);
      long result = awaitScript(replies.get(i), APPLY,
          () -> redis().eval(APPLY.source(), ScriptOutputType.INTEGER, keys, arguments));
      if (result < 0) {
        refused = Math.min(refused, result);
      } else {
        applied += result;
      }
    }
    return refused < 0 ? refused : applied;
  }

  /** Where a batch moves a partition's stored next offset: from {@code expected} ({@code null}: none stored) to {@code next}. */
  public record OffsetMove(Long expected, long next) {
  }

  /** A batch sent to Redis, not yet confirmed. */
  public static final class PendingBatch {

    /** {@link #await()} result: the namespace no longer has the batch's generation. */
    public static final long GENERATION_CHANGED = -1;
    /** {@link #await()} result: the stored offsets are not where the batch starts (another writer, or a lost batch). */
    public static final long OFFSETS_MOVED = -2;

    private final int size;
    private final Map<Integer, OffsetMove> moves;
    private final Supplier<Long> outcome;
    private final long sentNanos = System.nanoTime();

    private PendingBatch(int size, Map<Integer, OffsetMove> moves, Supplier<Long> outcome) {
      this.size = size;
      this.moves = moves;
      this.outcome = outcome;
    }

    /** When the batch was sent ({@link System#nanoTime()}). */
    public long sentNanos() {
      return sentNanos;
    }

    /** The number of writes in the batch. */
    public int size() {
      return size;
    }

    /** The offset moves of the batch. */
    public Map<Integer, OffsetMove> moves() {
      return moves;
    }

    /**
     * Waits for the batch.
     *
     * @return the number of entries written (writes not newer than the stored version are skipped), or
     *     {@link #GENERATION_CHANGED} or {@link #OFFSETS_MOVED}, after which the caller must reopen the
     *     namespace and read from the offsets stored there
     * @throws SinkUnavailableException when Redis cannot be reached or refuses; the batch may be partly
     *     applied, which a replay from the stored offsets repairs exactly (the version rule)
     */
    public long await() {
      return outcome.get();
    }
  }

  private String[] applyKeys(List<EntryWrite> chunk) {
    String[] keys = new String[2 + chunk.size()];
    keys[0] = namespace.metaKey();
    keys[1] = namespace.logKey();
    for (int i = 0; i < chunk.size(); i++) {
      keys[2 + i] = namespace.entryKey(chunk.get(i).encodedKey());
    }
    return keys;
  }

  private byte[][] applyArguments(List<EntryWrite> chunk, Map<Integer, OffsetMove> moves, String generation) {
    ScriptArguments arguments = new ScriptArguments().add(generation).add(logMaxLength).add(tombstoneTtlMillis)
        .moves(moves);
    for (EntryWrite write : chunk) {
      arguments.add(write.version()).add(write.envelope()).add(write.encodedKey());
    }
    return arguments.toArray();
  }

  /**
   * Unlinks every entry (tombstones included), then records {@code newGeneration} and a clear record at
   * {@code version}, so edges flush their near caches. On a cluster the scan visits every master and
   * the unlink is split by slot.
   */
  public void clear(long version, String newGeneration) {
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs args = ScanArgs.Builder.matches(namespace.entryPattern()).limit(1000);
    do {
      KeyScanCursor<String> page = await(redis().scan(cursor, args), "SCAN");
      if (!page.getKeys().isEmpty()) {
        await(redis().unlink(page.getKeys().toArray(String[]::new)), "UNLINK");
      }
      cursor = page;
    } while (!cursor.isFinished());
    script(CLEARED, new String[] {namespace.metaKey(), namespace.logKey()},
        new ScriptArguments().add(newGeneration).add(version).add(logMaxLength));
  }

  private Object script(SinkScript script, String[] keys, ScriptArguments arguments) {
    byte[][] values = arguments.toArray();
    RedisFuture<Object> reply = redis().evalsha(script.sha(), ScriptOutputType.VALUE, keys, values);
    return awaitScript(reply, script, () -> redis().eval(script.source(), ScriptOutputType.VALUE, keys, values));
  }

  private <T> T awaitScript(RedisFuture<T> reply, SinkScript script, Supplier<RedisFuture<T>> eval) {
    try {
      return await(reply, script.name());
    } catch (SinkUnavailableException e) {
      if (SinkScript.isMissing(e.getCause())) {
        // the server lost its script cache (restart, failover, SCRIPT FLUSH): EVAL caches it again
        return await(eval.get(), script.name());
      }
      throw e;
    }
  }

  private <T> T await(Future<T> future, String command) {
    return await(future, command, TIMEOUT_MILLIS);
  }

  private <T> T await(Future<T> future, String command, long timeoutMillis) {
    try {
      return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new SinkUnavailableException("namespace " + namespace + ": " + command + " got no answer within "
          + timeoutMillis + " ms from " + target + "; the batch will be retried", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
          ? e.getCause().getCause() : e.getCause();
      throw new SinkUnavailableException("namespace " + namespace + ": " + command + " failed against " + target
          + " (" + cause.getMessage() + "); the batch will be retried", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SinkUnavailableException("namespace " + namespace + ": interrupted while waiting for " + command, e);
    }
  }

  private RedisClusterAsyncCommands<String, byte[]> redis() {
    if (link == null) {
      link = target.connect("namespace " + namespace);
    }
    return link.commands();
  }

  /** Closes the connection (the target belongs to the caller). */
  public void close() {
    if (link != null) {
      link.connection().close();
    }
  }
}
