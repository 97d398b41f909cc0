package io.distcache.producer.sink;

import static io.distcache.protocol.script.sink.SinkScripts.ANNOUNCE;
import static io.distcache.protocol.script.sink.SinkScripts.APPLY;
import static io.distcache.protocol.script.sink.SinkScripts.BUILD;
import static io.distcache.protocol.script.sink.SinkScripts.CLAIM;
import static io.distcache.protocol.script.sink.SinkScripts.CLEARED;
import static io.distcache.protocol.script.sink.SinkScripts.COMMIT;
import static io.distcache.protocol.script.sink.SinkScripts.ENTRIES;
import static io.distcache.protocol.script.sink.SinkScripts.FENCED;
import static io.distcache.protocol.script.sink.SinkScripts.OWN;
import static io.distcache.protocol.script.sink.SinkScripts.RELEASE;
import static io.distcache.protocol.script.sink.SinkScripts.SWITCH;
import static io.distcache.protocol.script.sink.SinkScripts.UNLINK;

import io.distcache.producer.source.SourceIdentity;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.namespace.EntryPages;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.protocol.script.LuaScript;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

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
 * <p>The members of a consumer group share the namespace's claim and divide its partitions: each batch of a
 * member is also fenced on the owner field of every partition it moves, which {@link #own} sets when the group
 * gives the member a partition, so a member that lost a partition (paused through a rebalance, say) writes
 * nothing of it again.
 *
 * <p>On a standalone or Sentinel master each chunk of a batch is one {@code apply} script, chained to the
 * chunk before it, and the last chunk moves the offsets: they move only when every chunk applied. On
 * Redis Cluster a batch follows the log-first protocol of {@link LogFirstBatches}.
 *
 * <p>On a standalone or Sentinel master a namespace is (re)built beside its current generation: {@link #startBuild}
 * names a new generation and key space, batches sent with that {@link Build} are bulk-loaded into it
 * (native {@code MSET}s in a {@code WATCH}ed transaction: no version rule, no change-log record), and
 * {@link #switchTo} makes it current in one script whose switch record moves the edges. Key spaces no
 * generation uses any more are deleted page by page ({@link #retireStep}).
 */
public final class NamespaceSink {

  private static final String RETIRED_FIELD = "retired:";
  private static final int SCAN_PAGE = 1000;

  private final RedisTarget target;
  private final long timeoutMillis;
  private final Namespace namespace;
  private final String token;
  private final byte[] logMaxLength;
  private final boolean beside;
  private final byte[] tombstoneTtlMillis;
  private long batches;
  private final SinkConnection connection;
  private final BulkLoad bulkLoad;
  /** This member's token in a consumer group, {@code null} when the instance writes alone. */
  private final String member;
  /** The owner token this member holds per partition it owns (see own.lua); {@code null} when writing alone. */
  private final Map<Integer, String> owners;
  private long ownerships;
  private LogFirstBatches logFirst;
  /** The layout of the current generation, in the key space the meta hash names (claim, switch). */
  private volatile Namespace current;
  /** The key space being deleted and where its scan stands, see {@link #retireStep}. */
  private String retiring;
  private ScanCursor retireCursor = ScanCursor.INITIAL;

  /**
   * Creates the sink of a namespace.
   *
   * @param target the Redis deployment; the sink connects on first use and after a failed connect, and
   *     the client's reconnects cover later outages
   * @param token this instance's fencing token, unique to it
   * @param beside whether rebuilds may load a new generation beside the current one (Redis Cluster never does)
   */
  public NamespaceSink(RedisTarget target, Namespace namespace, String token, long logMaxLength,
      Duration tombstoneTtl, boolean beside) {
    this(target, namespace, token, null, logMaxLength, tombstoneTtl, beside);
  }

  /**
   * Creates the sink of a namespace for a member of a consumer group, which shares the namespace's claim with
   * the group's other members ({@code token} names the group) and writes only the partitions it owns
   * ({@link #own}); with {@code member} {@code null}, as {@link #NamespaceSink(RedisTarget, Namespace, String,
   * long, Duration, boolean)}.
   *
   * @param member this member's own token, unique to it
   */
  public NamespaceSink(RedisTarget target, Namespace namespace, String token, String member, long logMaxLength,
      Duration tombstoneTtl, boolean beside) {
    this.member = member;
    this.owners = member == null ? null : new HashMap<>();
    this.target = Objects.requireNonNull(target, "target");
    this.timeoutMillis = target.commandTimeout().toMillis();
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.connection = new SinkConnection(target, namespace);
    this.current = namespace;
    this.token = Objects.requireNonNull(token, "token");
    this.beside = beside;
    this.logMaxLength = ScriptArguments.utf8(Long.toString(logMaxLength));
    long tombstoneTtlMillis = Math.max(1, tombstoneTtl.toMillis());
    this.tombstoneTtlMillis = ScriptArguments.utf8(Long.toString(tombstoneTtlMillis));
    this.bulkLoad = new BulkLoad(connection, target, namespace, token, tombstoneTtlMillis);
  }

  /** The namespace written. */
  public Namespace namespace() {
    return namespace;
  }

  /**
   * Whether new generations are built beside the current one: on a standalone or Sentinel master, unless the
   * projection says {@code rebuild = in-place}. On Redis Cluster a bulk load cannot be fenced atomically with
   * the meta hash (they live in different slots), so a namespace is rebuilt in place there.
   */
  public boolean buildsBeside() {
    return beside && !target.isCluster();
  }

  /**
   * Loads the batch scripts into the script cache of every master. Batches are pipelined, and a batch
   * sent while the cache lacks the script is re-sent after later ones; the fence refuses those later
   * ones safely, but each refusal costs a reopen, so the scripts are loaded before the first batch.
   */
  public void loadScripts() {
    List<LuaScript> scripts = target.isCluster()
        ? List.of(ANNOUNCE, ENTRIES, COMMIT) : List.of(APPLY);
    for (LuaScript script : scripts) {
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
            .add(valueType).add(source.topicId()).add(source.partitions()).add(buildsBeside() ? "1" : "0"));
    long outcome = (Long) reply.get(0);
    if (outcome == 2L) {
      return Claim.ownedBy(text(reply.get(1)));
    }
    if (outcome == 0L) {
      return Claim.heldElsewhere((Long) reply.get(1));
    }
    String partitions = text(reply.get(4));
    String space = field(reply, 6);
    current = namespace.inSpace(space == null ? Namespace.FIRST_SPACE : space);
    return Claim.held(text(reply.get(1)), text(reply.get(2)),
        new SourceIdentity(text(reply.get(3)), partitions.isEmpty() ? 0 : Integer.parseInt(partitions)),
        candidate.equals(text(reply.get(1))), (Long) reply.get(5) == 1L, state(reply));
  }

  private static Claim.State state(List<Object> reply) {
    String build = field(reply, 9);
    return new Claim.State("building".equals(field(reply, 7)), field(reply, 8),
        build == null ? null : new Build(build, text(reply.get(10)), text(reply.get(11))), field(reply, 12) != null);
  }

  private static String field(List<Object> reply, int index) {
    return reply.size() > index && reply.get(index) != null ? text(reply.get(index)) : null;
  }

  /**
   * Records this member as the owner of partitions and reads their stored offsets. With {@code taken}, the group
   * just gave them to it: whoever owned them before can no longer write them. Else it keeps the partitions it
   * owns, unless another member owns one now (this one lost it while it was paused, say); those are left alone.
   *
   * @param generation the generation the caller writes; fenced on it and on the group's claim
   * @param groupGeneration the consumer group's generation in which the group gave the partitions: a take is
   *     refused for a partition that a member took in a later one (this member was paused before it took it)
   * @return the stored next offset of each partition owned now ({@code null} when none is stored); a lost
   *     partition is absent, as is every partition when the namespace refused ({@code refusal} then says why)
   */
  public Ownership own(String generation, Collection<Integer> partitions, boolean taken, int groupGeneration) {
    if (owners == null) {
      throw new IllegalStateException("namespace " + namespace + ": only a member of a consumer group owns partitions");
    }
    List<Integer> ordered = List.copyOf(partitions);
    Map<Integer, String> next = new HashMap<>();
    ScriptArguments arguments = new ScriptArguments().add(generation).add(token).add(0).add(ordered.size());
    for (Integer partition : ordered) {
      String held = taken ? "" : owners.getOrDefault(partition, ScriptArguments.NOT_OWNED);
      // a new token per take: batches this member sent while it owned the partition before cannot land
      String owner = taken ? member + "/" + groupGeneration + "/" + ++ownerships : held;
      next.put(partition, owner);
      arguments.add(partition).add(held).add(owner);
    }
    List<Object> reply = script(OWN, ScriptOutputType.MULTI, new String[] {namespace.metaKey()}, arguments);
    long outcome = (Long) reply.get(0);
    if (outcome < 0) {
      return new Ownership(Map.of(), ordered, outcome);
    }
    Map<Integer, Long> offsets = new HashMap<>();
    List<Integer> lost = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      Integer partition = ordered.get(i);
      String offset = text(reply.get(i + 1));
      if (ScriptArguments.NOT_OWNED.equals(offset)) {
        owners.remove(partition);
        lost.add(partition);
      } else {
        owners.put(partition, next.get(partition));
        offsets.put(partition, offset.isEmpty() ? null : Long.parseLong(offset));
      }
    }
    return new Ownership(offsets, lost, 0);
  }

  /** Forgets partitions the group took away: batches of this instance are refused for them from now on. */
  public void disown(Collection<Integer> partitions) {
    if (owners != null) {
      partitions.forEach(owners::remove);
    }
  }

  /** The partitions this member owns, in order; empty when it writes alone. */
  public SortedSet<Integer> owned() {
    return owners == null ? new TreeSet<>() : new TreeSet<>(owners.keySet());
  }

  /**
   * What {@link #own} found.
   *
   * @param offsets per partition owned now, its stored next offset ({@code null} values: none stored)
   * @param lost the partitions another member owns now
   * @param refusal 0, or {@link PendingBatch#GENERATION_CHANGED} / {@link PendingBatch#FENCED} when the namespace
   *     refused (nothing was recorded)
   */
  public record Ownership(Map<Integer, Long> offsets, List<Integer> lost, long refusal) {
  }

  /**
   * Gives up this instance's claim, if it holds it, so a standby takes over at once. A member of a consumer group
   * gives up nothing: the claim is the group's, and leaving the group hands its partitions on.
   */
  public void release() {
    if (owners != null) {
      return;
    }
    script(RELEASE, ScriptOutputType.INTEGER, new String[] {namespace.metaKey()}, new ScriptArguments().add(token));
  }

  private static String text(Object reply) {
    return reply == null ? "" : new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  /** The next offset per partition recorded in the meta hash. */
  public Map<Integer, Long> offsets() {
    return offsetFields(ScriptArguments.OFFSET_FIELD);
  }

  private Map<Integer, Long> offsetFields(String prefix) {
    Map<String, byte[]> meta = await(redis().hgetall(namespace.metaKey()), "HGETALL meta");
    Map<Integer, Long> offsets = new TreeMap<>();
    meta.forEach((field, value) -> {
      if (field.startsWith(prefix)) {
        offsets.put(Integer.parseInt(field.substring(prefix.length())),
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
    return send(writes, moves, generation, null);
  }

  /**
   * Sends a batch as {@link #send(List, Map, String)} does, or, with a {@code build}, bulk-loads it into that
   * generation being built, whose offsets ({@link #buildOffsets}) the moves then start from.
   *
   * @param build the generation being built, {@code null} to write the current one
   */
  public PendingBatch send(List<EntryWrite> writes, Map<Integer, OffsetMove> moves, String generation, Build build) {
    if (build != null) {
      return bulkLoad.send(writes, moves, generation, build);
    }
    if (target.isCluster()) {
      if (logFirst == null) {
        logFirst = new LogFirstBatches(connection.cluster(), namespace, token, logMaxLength, tombstoneTtlMillis,
            target.replicaAcks());
      }
      Future<Long> outcome = logFirst.send(writes, moves, generation, owners == null ? null : Map.copyOf(owners));
      // up to three round trips of commands, each allowed the command timeout
      return new PendingBatch(writes.size(), moves, () -> connection.await(outcome, "batch", 3 * timeoutMillis));
    }
    int chunkCount = Math.max(1, (writes.size() + ScriptArguments.CHUNK - 1) / ScriptArguments.CHUNK);
    // a batch of one chunk needs no chain; the writer's own token keeps ids and chains of instances apart
    String batch = chunkCount == 1 ? "" : (member == null ? token : member) + ":" + ++batches;
    List<CompletableFuture<Long>> replies = new ArrayList<>(chunkCount);
    for (int index = 0; index < chunkCount; index++) {
      List<EntryWrite> chunk = writes.subList(index * ScriptArguments.CHUNK, Math.min(writes.size(), (index + 1) * ScriptArguments.CHUNK));
      byte[][] arguments = new ScriptArguments().add(generation).add(token).add(logMaxLength).add(tombstoneTtlMillis)
          .add(batch).add(index).add(index == chunkCount - 1 ? "1" : "0").moves(moves, owners).writes(chunk).toArray();
      replies.add(APPLY.run(redis(), ScriptOutputType.INTEGER, applyKeys(chunk), arguments));
    }
    return new PendingBatch(writes.size(), moves, () -> awaitChunks(replies));
  }

  /** The entries the chunks wrote, or the lowest refusal code (the chain refuses every chunk after a refused one). */
  private long awaitChunks(List<CompletableFuture<Long>> replies) {
    long applied = 0;
    long refused = 0;
    for (long result : LuaScript.awaitInOrder(replies, reply -> connection.await(reply, APPLY.name()))) {
      if (result < 0) {
        refused = Math.min(refused, result);
      } else {
        applied += result;
      }
    }
    return refused < 0 ? refused : applied;
  }

  private String[] applyKeys(List<EntryWrite> chunk) {
    String[] keys = new String[2 + chunk.size()];
    keys[0] = namespace.metaKey();
    keys[1] = namespace.logKey();
    Namespace entries = current;
    for (int i = 0; i < chunk.size(); i++) {
      keys[2 + i] = entries.entryKey(chunk.get(i).encodedKey());
    }
    return keys;
  }

  /**
   * Starts building a new generation beside the current one; a build under way is abandoned and its key
   * space retired. Fenced on the current generation and the token.
   *
   * @param startOffsets the next offset per partition the build starts from (empty: the topic's start)
   * @param retireAfter how long edges may still read an abandoned build's space (they never do) before it goes
   * @param source the topic the build reads, recorded so later checks of the offsets compare against it
   * @return 0, or {@link PendingBatch#GENERATION_CHANGED} or {@link PendingBatch#FENCED} with nothing changed
   */
  public long startBuild(String generation, Build build, Map<Integer, Long> startOffsets, Duration retireAfter,
      SourceIdentity source) {
    ScriptArguments arguments = new ScriptArguments().add(generation).add(token).add(build.generation())
        .add(build.space()).add(build.projectionVersion()).add(retireAfter.toMillis()).add(source.topicId())
        .add(source.partitions()).add(0).add(startOffsets.size());
    startOffsets.forEach((partition, next) -> arguments.add(partition).add(next));
    return (Long) script(BUILD, ScriptOutputType.INTEGER, new String[] {namespace.metaKey()}, arguments);
  }

  /** The next offset per partition of the build under way, as recorded with its data. */
  public Map<Integer, Long> buildOffsets() {
    return offsetFields(BulkLoad.BUILD_OFFSET_FIELD);
  }

  /**
   * Makes a build current in one step: edges move to its key space and flush; its offsets become the
   * namespace's; the old key space is retired. Fenced on the current generation, the token, the build and
   * the build's offsets being {@code offsets}.
   *
   * @param retireAfter how long edges may go on reading the old key space (those that have not learnt of the
   *     switch yet), or {@code null} when it holds nothing
   * @return 0, or {@link PendingBatch#GENERATION_CHANGED}, {@link PendingBatch#OFFSETS_MOVED} or
   *     {@link PendingBatch#FENCED} with nothing changed
   */
  public long switchTo(String generation, Build build, Map<Integer, Long> offsets, Duration retireAfter) {
    Map<Integer, OffsetMove> unmoved = new TreeMap<>();
    offsets.forEach((partition, next) -> unmoved.put(partition, new OffsetMove(next, next)));
    ScriptArguments arguments = new ScriptArguments().add(generation).add(token).add(build.generation())
        .add(logMaxLength).add(retireAfter == null ? -1 : retireAfter.toMillis())
        .moves(unmoved, BulkLoad.BUILD_OFFSET_FIELD);
    long result = (Long) script(SWITCH, ScriptOutputType.INTEGER,
        new String[] {namespace.metaKey(), namespace.logKey(), namespace.sequenceKey()}, arguments);
    if (result == 0) {
      current = namespace.inSpace(build.space());
    }
    return result;
  }

  /**
   * Deletes one page of a retired key space whose grace time has passed, if there is one; a finished space is
   * struck off the meta hash. Nobody reads a retired space, so the unlinks need no fence: a stale instance
   * deleting one too only repeats the work.
   *
   * @return whether a page was deleted (more may follow)
   */
  public boolean retireStep() {
    if (retiring == null) {
      retiring = dueRetiredSpace();
      retireCursor = ScanCursor.INITIAL;
      if (retiring == null) {
        return false;
      }
    }
    KeyScanCursor<String> page = await(EntryPages.unlinkPage(redis(), namespace.inSpace(retiring), retireCursor,
        SCAN_PAGE), "SCAN and UNLINK");
    retireCursor = page;
    if (page.isFinished()) {
      await(redis().hdel(namespace.metaKey(), RETIRED_FIELD + retiring), "HDEL");
      retiring = null;
    }
    return true;
  }

  private String dueRetiredSpace() {
    Map<String, byte[]> meta = await(redis().hgetall(namespace.metaKey()), "HGETALL meta");
    Map<String, Long> retired = new TreeMap<>();
    meta.forEach((field, value) -> {
      if (field.startsWith(RETIRED_FIELD)) {
        retired.put(field.substring(RETIRED_FIELD.length()), Long.parseLong(new String(value, StandardCharsets.US_ASCII)));
      }
    });
    if (retired.isEmpty()) {
      // the usual case on every quiet poll: no second round trip
      return null;
    }
    // the deadlines were set by the server's clock: compare with it, not with this host's
    List<byte[]> time = await(redis().time(), "TIME");
    long now = Long.parseLong(new String(time.get(0), StandardCharsets.US_ASCII)) * 1000
        + Long.parseLong(new String(time.get(1), StandardCharsets.US_ASCII)) / 1000;
    return retired.entrySet().stream().filter(space -> space.getValue() <= now).map(Map.Entry::getKey).findFirst()
        .orElse(null);
  }

  /**
   * Asks the namespace's writer to rebuild it beside the current generation ({@code rebuild} command): the
   * running writer takes the request at its next claim renewal, else the next one to start.
   *
   * @return {@code false} when the namespace has no meta hash (nothing was ever written: the producer builds
   *     it when it starts), with nothing changed
   */
  public boolean requestRebuild(String request) {
    if (await(redis().exists(namespace.metaKey()), "EXISTS meta") == 0) {
      return false;
    }
    await(redis().hset(namespace.metaKey(), "rebuild-requested", ScriptArguments.utf8(request)), "HSET");
    return true;
  }

  /**
   * Records, after an in-place rebuild (Redis Cluster), the projection version the namespace is now built
   * with, and takes a pending rebuild request.
   */
  public void rebuiltInPlace(String projectionVersion) {
    await(redis().hset(namespace.metaKey(), "projection-version", ScriptArguments.utf8(projectionVersion)), "HSET");
    await(redis().hdel(namespace.metaKey(), "rebuild-requested"), "HDEL");
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
        .add(logMaxLength).add("0").add("").add("").moves(moves, owners));
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
      connection.close();
      logFirst = null;
    }
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs args = ScanArgs.Builder.matches(current.entryPattern()).limit(SCAN_PAGE);
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
    ScriptArguments fence = new ScriptArguments().add(generation).add(token).moves(moves, owners);
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

  private <T> T script(LuaScript script, ScriptOutputType type, String[] keys, ScriptArguments arguments) {
    return connection.script(script, type, keys, arguments.toArray());
  }

  private <T> T await(Future<T> future, String command) {
    return connection.await(future, command);
  }

  private RedisClusterAsyncCommands<String, byte[]> redis() {
    return connection.commands();
  }

  /** Closes the connection (the target belongs to the caller). */
  public void close() {
    connection.close();
  }
}
