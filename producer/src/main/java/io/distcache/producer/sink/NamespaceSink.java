package io.distcache.producer.sink;

import io.distcache.jcache.codec.Envelope;
import io.distcache.jcache.namespace.Namespace;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Writes one producer namespace on the Redis master (DESIGN.md §3, §5): batches of entry writes under
 * the version rule with their change-log records and the next source offsets, all through the
 * {@code apply} script, pipelined in chunks; plus the meta hash (generation, owner, offsets).
 *
 * <p>Every call that changes data names the generation it belongs to, and the script refuses to write
 * when the meta hash holds another one or none: a {@code FLUSHALL} or a failover to an empty node is
 * noticed on the next batch.
 */
public final class NamespaceSink {

  /** Entry writes per script call: large enough to amortise the call, small enough not to stall Redis. */
  static final int CHUNK = 500;
  private static final SinkScript APPLY = SinkScript.load("apply");
  private static final SinkScript OPEN = SinkScript.load("open");
  private static final SinkScript CLEARED = SinkScript.load("cleared");
  private static final String OFFSET_FIELD = "offset:";
  private static final long TIMEOUT_MILLIS = 10_000;

  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final RedisClient client;
  private StatefulRedisConnection<String, byte[]> connection;
  private final Namespace namespace;
  private final String address;
  private final byte[] logMaxLength;
  private final byte[] tombstoneTtlMillis;

  /**
   * Creates the sink of a namespace.
   *
   * @param client the client of the master; the sink connects on first use and after a failed connect,
   *     and the client's reconnects cover later outages (its commands must be rejected while disconnected)
   * @param address the master's address without password, for messages
   */
  public NamespaceSink(RedisClient client, String address, Namespace namespace, long logMaxLength,
      Duration tombstoneTtl) {
    this.client = client;
    this.address = address;
    this.namespace = namespace;
    this.logMaxLength = ascii(Long.toString(logMaxLength));
    this.tombstoneTtlMillis = ascii(Long.toString(Math.max(1, tombstoneTtl.toMillis())));
  }

  /** The namespace written. */
  public Namespace namespace() {
    return namespace;
  }

  /**
   * Loads the batch script into the server's script cache. Batches are pipelined, and a batch sent
   * while the cache lacks the script is re-sent after later ones; the offset check refuses those later
   * ones safely, but each refusal costs a reopen, so the script is loaded before the first batch.
   */
  public void loadScripts() {
    await(redis().scriptLoad(APPLY.source()), "SCRIPT LOAD");
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
    Object reply = script(OPEN, new String[] {namespace.metaKey()},
        ascii(candidate), ascii(owner), ascii(Integer.toString(Envelope.CODEC_KRYO)), ascii(valueType));
    return new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  /** The next offset per partition recorded in the meta hash. */
  public Map<Integer, Long> offsets() {
    Map<String, byte[]> meta = await(redis().hgetall(namespace.metaKey()), "HGETALL meta");
    Map<Integer, Long> offsets = new TreeMap<>();
    meta.forEach((field, value) -> {
      if (field.startsWith(OFFSET_FIELD)) {
        offsets.put(Integer.parseInt(field.substring(OFFSET_FIELD.length())),
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
    List<RedisFuture<Object>> replies = new ArrayList<>();
    int from = 0;
    do {
      int to = Math.min(writes.size(), from + CHUNK);
      replies.add(sendChunk(arguments(writes.subList(from, to), to == writes.size() ? moves : Map.of(), generation)));
      from = to;
    } while (from < writes.size());
    return new PendingBatch(writes, moves, generation, replies);
  }

  private RedisFuture<Object> sendChunk(Arguments arguments) {
    return redis().evalsha(APPLY.sha(), ScriptOutputType.INTEGER, arguments.keys, arguments.values);
  }

  /** Where a batch moves a partition's stored next offset: from {@code expected} ({@code null}: none stored) to {@code next}. */
  public record OffsetMove(Long expected, long next) {
  }

  /** A batch sent to Redis, not yet confirmed. */
  public final class PendingBatch {

    /** {@link #await()} result: the namespace no longer has the batch's generation. */
    public static final long GENERATION_CHANGED = -1;
    /** {@link #await()} result: the stored offsets are not where the batch starts (another writer, or a lost batch). */
    public static final long OFFSETS_MOVED = -2;

    private final List<EntryWrite> writes;
    private final Map<Integer, OffsetMove> moves;
    private final String generation;
    private final List<RedisFuture<Object>> replies;
    private final long sentNanos = System.nanoTime();

    private PendingBatch(List<EntryWrite> writes, Map<Integer, OffsetMove> moves, String generation,
        List<RedisFuture<Object>> replies) {
      this.writes = writes;
      this.moves = moves;
      this.generation = generation;
      this.replies = replies;
    }

    /** When the batch was sent ({@link System#nanoTime()}). */
    public long sentNanos() {
      return sentNanos;
    }

    /** The number of writes in the batch. */
    public int size() {
      return writes.size();
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
      long applied = 0;
      long refused = 0;
      for (int i = 0; i < replies.size(); i++) {
        int from = i * CHUNK;
        int to = Math.min(writes.size(), from + CHUNK);
        long result = (Long) awaitScript(replies.get(i), APPLY, () -> {
          Arguments arguments = arguments(writes.subList(from, to), to == writes.size() ? moves : Map.of(), generation);
          return redis().eval(APPLY.source(), ScriptOutputType.INTEGER, arguments.keys, arguments.values);
        });
        if (result < 0) {
          refused = Math.min(refused, result);
        } else {
          applied += result;
        }
      }
      return refused < 0 ? refused : applied;
    }
  }

  private Arguments arguments(List<EntryWrite> chunk, Map<Integer, OffsetMove> offsets, String generation) {
    String[] keys = new String[2 + chunk.size()];
    keys[0] = namespace.metaKey();
    keys[1] = namespace.logKey();
    byte[][] values = new byte[4 + 3 * offsets.size() + 3 * chunk.size()][];
    values[0] = ascii(generation);
    values[1] = logMaxLength;
    values[2] = tombstoneTtlMillis;
    values[3] = ascii(Integer.toString(offsets.size()));
    int a = 4;
    for (Map.Entry<Integer, OffsetMove> offset : offsets.entrySet()) {
      values[a++] = ascii(OFFSET_FIELD + offset.getKey());
      values[a++] = offset.getValue().expected() == null ? new byte[0] : ascii(Long.toString(offset.getValue().expected()));
      values[a++] = ascii(Long.toString(offset.getValue().next()));
    }
    for (int i = 0; i < chunk.size(); i++) {
      EntryWrite write = chunk.get(i);
      keys[2 + i] = namespace.entryKey(write.encodedKey());
      values[a++] = ascii(Long.toString(write.version()));
      values[a++] = write.envelope();
      values[a++] = write.encodedKey().getBytes(StandardCharsets.UTF_8);
    }
    return new Arguments(keys, values);
  }

  private record Arguments(String[] keys, byte[][] values) {
  }

  /**
   * Unlinks every entry (tombstones included), then records {@code newGeneration} and a clear record at
   * {@code version}, so edges flush their near caches.
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
        ascii(newGeneration), ascii(Long.toString(version)), logMaxLength);
  }

  private Object script(SinkScript script, String[] keys, byte[]... arguments) {
    RedisFuture<Object> reply = redis().evalsha(script.sha(), ScriptOutputType.VALUE, keys, arguments);
    return awaitScript(reply, script, () -> redis().eval(script.source(), ScriptOutputType.VALUE, keys, arguments));
  }

  private Object awaitScript(RedisFuture<Object> reply, SinkScript script, Supplier<RedisFuture<Object>> eval) {
    try {
      return await(reply, script.name());
    } catch (SinkUnavailableException e) {
      if (e.getCause() instanceof RedisCommandExecutionException && String.valueOf(e.getCause().getMessage()).contains("NOSCRIPT")) {
        // the server lost its script cache (restart, failover, SCRIPT FLUSH): EVAL caches it again
        return await(eval.get(), script.name());
      }
      throw e;
    }
  }

  private <T> T await(RedisFuture<T> future, String command) {
    try {
      return future.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new SinkUnavailableException("namespace " + namespace + ": " + command + " got no answer within "
          + TIMEOUT_MILLIS + " ms from Redis at " + address + "; the batch will be retried", e);
    } catch (ExecutionException e) {
      throw new SinkUnavailableException("namespace " + namespace + ": " + command + " failed against Redis at "
          + address + " (" + e.getCause().getMessage() + "); the batch will be retried", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SinkUnavailableException("namespace " + namespace + ": interrupted while waiting for " + command, e);
    }
  }

  private RedisAsyncCommands<String, byte[]> redis() {
    if (connection == null) {
      try {
        connection = client.connect(CODEC);
      } catch (RedisException e) {
        throw new SinkUnavailableException("namespace " + namespace + ": cannot connect to Redis at " + address + " ("
            + e.getMessage() + "); retrying", e);
      }
    }
    return connection.async();
  }

  /** Closes the connection (the client belongs to the caller). */
  public void close() {
    if (connection != null) {
      connection.close();
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
