package io.distcache.producer.sink;

import io.distcache.jcache.codec.Envelope;
import io.distcache.jcache.namespace.Namespace;
import io.distcache.producer.source.SourceIdentity;
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
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Writes one producer namespace for one producer instance: batches of entry writes under the version
 * rule with their change-log records and the next source offsets, plus the meta hash whose fields
 * {@code claim.lua} lists.
 *
 * <p>Every call that changes data is fenced (library.lua): Redis refuses it unless the meta hash holds
 * the caller's generation, the caller's fencing token (an instance claims the namespace with
 * {@link #claim}, and a silent one loses it after the claim time) and the stored offsets the batch starts
 * from. A {@code FLUSHALL}, a failover to an empty node, a second instance or a lost chunk is thus
 * noticed on the next call, and nothing is written by an instance that no longer may.
 *
 * <p>On a standalone or Sentinel master each chunk of a batch is one {@code apply} script, chained to the
 * chunk before it, and the last chunk moves the offsets: they move only when every chunk applied. On
 * Redis Cluster a batch follows the log-first protocol of {@link LogFirstBatches}.
 */
public final class NamespaceSink {

  /** Entry writes per script call: large enough to amortise the call, small enough not to stall Redis. */
  static final int CHUNK = 500;
  private static final SinkScript APPLY = SinkScript.load("apply");
  private static final SinkScript CLAIM = SinkScript.load("claim");
  private static final SinkScript UNLINK = SinkScript.load("unlink");
  private static final SinkScript FENCED = SinkScript.load("fenced");
  private static final SinkScript CLEARED = SinkScript.load("cleared");
  private static final SinkScript RELEASE = SinkScript.load("release");
  private static final int SCAN_PAGE = 1000;

  private final RedisTarget target;
  private final long timeoutMillis;
  private final Namespace namespace;
  private final String token;
  private final byte[] logMaxLength;
  private final byte[] tombstoneTtlMillis;
  private long batches;
  private RedisTarget.Link link;
  private LogFirstBatches logFirst;

  /**
   * Creates the sink of a namespace.
   *
   * @param target the Redis deployment; the sink connects on first use and after a failed connect, and
   *     the client's reconnects cover later outages
   * @param token this instance's fencing token, unique to it
   */
  public NamespaceSink(RedisTarget target, Namespace namespace, String token, long logMaxLength,
      Duration tombstoneTtl) {
    this.target = Objects.requireNonNull(target, "target");
    this.timeoutMillis = target.commandTimeout().toMillis();
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.token = Objects.requireNonNull(token, "token");
    this.logMaxLength = ScriptArguments.utf8(Long.toString(logMaxLength));
    this.tombstoneTtlMillis = ScriptArguments.utf8(Long.toString(Math.max(1, tombstoneTtl.toMillis())));
  }

  /** The namespace written. */
  public Namespace namespace() {
    return namespace;
  }

  /**
   * Loads the batch scripts into the script cache of every master. Batches are pipelined, and a batch
   * sent while the cache lacks the script is re-sent after later ones; the fence refuses those later
   * ones safely, but each refusal costs a reopen, so the scripts are loaded before the first batch.
   */
  public void loadScripts() {
    List<SinkScript> scripts = target.isCluster()
        ? List.of(LogFirstBatches.ANNOUNCE, LogFirstBatches.ENTRIES, LogFirstBatches.COMMIT) : List.of(APPLY);
    for (SinkScript script : scripts) {
      // on a cluster connection SCRIPT LOAD goes to every node
      await(redis().scriptLoad(script.source()), "SCRIPT LOAD " + script.name());
    }
  }

  /**
   * Claims the namespace for this instance, or renews the claim, and reads what the meta hash holds.
   * A namespace without a generation gets {@code candidate} with this source's identity.
   *
   * @param claimTime how long the claim holds unless renewed
   * @param owner the owner this projection writes, {@code producer:<topic>}
   * @param source the source topic's identity now
   */
  public Claim claim(Duration claimTime, String candidate, String owner, String valueType, SourceIdentity source) {
    List<Object> reply = script(CLAIM, ScriptOutputType.MULTI,
        new String[] {namespace.metaKey(), namespace.sequenceKey()},
        new ScriptArguments().add(token).add(claimTime.toMillis()).add(candidate).add(owner).add(Envelope.CODEC_KRYO)
            .add(valueType).add(source.topicId()).add(source.partitions()));
    long outcome = (Long) reply.get(0);
    if (outcome == 2L) {
      return Claim.ownedBy(text(reply.get(1)));
    }
    if (outcome == 0L) {
      return Claim.heldElsewhere((Long) reply.get(1));
    }
    String partitions = text(reply.get(4));
    return Claim.held(text(reply.get(1)), text(reply.get(2)),
        new SourceIdentity(text(reply.get(3)), partitions.isEmpty() ? 0 : Integer.parseInt(partitions)),
        candidate.equals(text(reply.get(1))), (Long) reply.get(5) == 1L);
  }

  /** Gives up this instance's claim, if it holds it, so a standby takes over at once. */
  public void release() {
    script(RELEASE, ScriptOutputType.INTEGER, new String[] {namespace.metaKey()}, new ScriptArguments().add(token));
  }

  private static String text(Object reply) {
    return reply == null ? "" : new String((byte[]) reply, StandardCharsets.UTF_8);
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
        logFirst = new LogFirstBatches(link.cluster(), namespace, token, logMaxLength, tombstoneTtlMillis,
            target.replicaAcks());
      }
      Future<Long> outcome = logFirst.send(writes, moves, generation);
      // up to three round trips of commands, each allowed the command timeout
      return new PendingBatch(writes.size(), moves, () -> await(outcome, "batch", 3 * timeoutMillis));
    }
    int chunkCount = Math.max(1, (writes.size() + CHUNK - 1) / CHUNK);
    // a batch of one chunk needs no chain; the token keeps ids of different instances apart
    String batch = chunkCount == 1 ? "" : token + ":" + ++batches;
    List<RedisFuture<Long>> replies = new ArrayList<>(chunkCount);
    List<byte[][]> chunks = new ArrayList<>(chunkCount);
    for (int index = 0; index < chunkCount; index++) {
      List<EntryWrite> chunk = writes.subList(index * CHUNK, Math.min(writes.size(), (index + 1) * CHUNK));
      byte[][] arguments = new ScriptArguments().add(generation).add(token).add(logMaxLength).add(tombstoneTtlMillis)
          .add(batch).add(index).add(index == chunkCount - 1 ? "1" : "0").moves(moves).writes(chunk).toArray();
      chunks.add(arguments);
      replies.add(redis().evalsha(APPLY.sha(), ScriptOutputType.INTEGER, applyKeys(chunk), arguments));
    }
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
    /** {@link #await()} result: the stored offsets are not where the batch starts (a lost batch or chunk). */
    public static final long OFFSETS_MOVED = -2;
    /** {@link #await()} result: another instance claimed the namespace; this one must not write. */
    public static final long FENCED = -3;

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
     *     {@link #GENERATION_CHANGED}, {@link #OFFSETS_MOVED} or {@link #FENCED}, after which the caller must reopen the
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

  /**
   * Clears the namespace for a Debezium truncate at a source position: unlinks every entry (tombstones
   * included), then records {@code newGeneration}, a clear record at the truncate's offset, so edges flush
   * their near caches, and the offset move past the truncate. Fenced like a batch: an instance that lost
   * its claim, or replays an old truncate (its start offset is no longer the stored one), removes nothing.
   *
   * @return 0, or {@link PendingBatch#GENERATION_CHANGED}, {@link PendingBatch#OFFSETS_MOVED} or
   *     {@link PendingBatch#FENCED} with nothing changed
   */
  public long truncate(String generation, OffsetMove move, int partition, String newGeneration) {
    Map<Integer, OffsetMove> moves = Map.of(partition, move);
    long unlinked = unlinkAll(generation, moves);
    if (unlinked < 0) {
      return unlinked;
    }
    return cleared(new ScriptArguments().add(generation).add(token).add(newGeneration).add(move.next() - 1)
        .add(logMaxLength).add("0").add("").add("").moves(moves));
  }

  /**
   * Empties the namespace for a rebuild from the start of its topic (the stored offsets no longer match
   * the topic): unlinks every entry, drops every stored offset, records the topic's identity and
   * {@code newGeneration}. Fenced on the generation and token.
   *
   * @return 0, or {@link PendingBatch#GENERATION_CHANGED} or {@link PendingBatch#FENCED} with nothing changed
   */
  public long rebuild(String generation, String newGeneration, SourceIdentity source) {
    long unlinked = unlinkAll(generation, Map.of());
    if (unlinked < 0) {
      return unlinked;
    }
    return cleared(new ScriptArguments().add(generation).add(token).add(newGeneration).add(0).add(logMaxLength)
        .add("1").add(source.topicId()).add(source.partitions()).moves(Map.of()));
  }

  private long cleared(ScriptArguments arguments) {
    return script(CLEARED, ScriptOutputType.INTEGER,
        new String[] {namespace.metaKey(), namespace.logKey(), namespace.sequenceKey()}, arguments);
  }

  /**
   * Unlinks every entry key, page by page, each page fenced. On a standalone master the fence and the
   * unlink are one script. On a cluster a page's keys live in other slots than the meta hash, so the fence
   * is checked just before the page: an instance paused between the two could still unlink one page.
   */
  private long unlinkAll(String generation, Map<Integer, OffsetMove> moves) {
    if (logFirst != null && !logFirst.awaitIdle(3 * timeoutMillis)) {
      // a batch abandoned after a timeout may still be running its steps: cut them off with the connection
      link.connection().close();
      link = null;
      logFirst = null;
    }
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs args = ScanArgs.Builder.matches(namespace.entryPattern()).limit(SCAN_PAGE);
    long unlinked = 0;
    do {
      KeyScanCursor<String> page = await(redis().scan(cursor, args), "SCAN");
      long result = unlinkPage(page.getKeys(), generation, moves);
      if (result < 0) {
        return result;
      }
      unlinked += result;
      cursor = page;
    } while (!cursor.isFinished());
    return unlinked;
  }

  private long unlinkPage(List<String> keys, String generation, Map<Integer, OffsetMove> moves) {
    ScriptArguments fence = new ScriptArguments().add(generation).add(token).moves(moves);
    if (!target.isCluster()) {
      List<String> scriptKeys = new ArrayList<>(keys.size() + 1);
      scriptKeys.add(namespace.metaKey());
      scriptKeys.addAll(keys);
      return (Long) script(UNLINK, ScriptOutputType.INTEGER, scriptKeys.toArray(String[]::new), fence);
    }
    long fenced = (Long) script(FENCED, ScriptOutputType.INTEGER, new String[] {namespace.metaKey()}, fence);
    if (fenced < 0 || keys.isEmpty()) {
      return fenced;
    }
    return await(redis().unlink(keys.toArray(String[]::new)), "UNLINK");
  }

  private <T> T script(SinkScript script, ScriptOutputType type, String[] keys, ScriptArguments arguments) {
    byte[][] values = arguments.toArray();
    RedisFuture<T> reply = redis().evalsha(script.sha(), type, keys, values);
    return awaitScript(reply, script, () -> redis().eval(script.source(), type, keys, values));
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
    return await(future, command, timeoutMillis);
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
