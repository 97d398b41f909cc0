package io.distcache.jcache.redis;

import static io.distcache.protocol.script.edge.EdgeScripts.ANNOUNCE;
import static io.distcache.protocol.script.edge.EdgeScripts.CLEAR;
import static io.distcache.protocol.script.edge.EdgeScripts.LEASE;
import static io.distcache.protocol.script.edge.EdgeScripts.MUTATE;
import static io.distcache.protocol.script.edge.EdgeScripts.READ;
import static io.distcache.protocol.script.edge.EdgeScripts.RETIME;

import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.protocol.namespace.EntryPages;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.protocol.sabotage.Sabotage;
import io.distcache.protocol.script.LuaScript;
import io.distcache.protocol.wire.StringBytesCodec;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.cache.CacheException;

/**
 * All Redis commands of one cache: reads from the configured read-from node, conditional writes on
 * the master through the {@code mutate} script, scans and clears. Every call waits at most the
 * command timeout and turns failures into exceptions that name the cache, namespace and server.
 *
 * <p>On Redis Cluster an entry and its namespace's bookkeeping keys live in different slots, so a
 * write is two scripts: {@code announce} logs it (and takes its version) on the bookkeeping slot,
 * then {@code mutate} writes the entry with that version on the entry's slot.
 */
public final class NamespaceStore {

  private static final String AUTHENTICATION_ADVICE =
      "authentication failed: check the user and password in redis.uri (or the ACL user's permissions)";
  private static final byte[] NO_BYTES = new byte[0];
  /** How Lettuce refuses a read when it knows no node of the requested kind. */
  private static final String NO_REPLICA = "Cannot determine a node to read";
  /** The meta hash field holding the namespace generation. */
  public static final String GENERATION = "generation";
  /** The meta hash field naming the namespace's owner; a producer's is {@code producer:<topic>}. */
  public static final String OWNER = "owner";
  /** The meta hash field naming the key space of the current generation's entries (none: the first layout). */
  public static final String SPACE = "space";
  private static final String PRODUCER_OWNER_PREFIX = "producer:";
  /**
   * How late the replica lag check may learn that a replica trails beyond {@code outage.replica-max-lag}: it reads a
   * heartbeat the master writes once a second, and judges each read at its next check, a second later.
   */
  private static final Duration LAG_DETECTION = Duration.ofSeconds(3);

  private final RedisConnections connections;
  /** The layout whose key space reads and writes use; a producer's shadow build moves it ({@link #moveTo}). */
  private volatile Namespace namespace;
  private final ReadFrom readFrom;
  private final long timeoutMillis;
  private final byte[] logMaxLength;
  private final String cacheName;
  private final byte[] generationPrefix = bytes(UUID.randomUUID().toString());
  /** {@link #unnoticedLag} of {@code outage.replica-max-lag}. */
  private final long unnoticedLagNanos;
  /** {@link System#nanoTime()} until which reads go to the master; see {@link #readMasterUntilReplicasCaughtUp()}. */
  private volatile long masterReadsUntilNanos = System.nanoTime();
  /** Whether a producer owns the namespace, as the meta hash said when last read; once true, always. */
  private volatile boolean producerOwned;

  /**
   * Creates the store of cache {@code cacheName} over {@code namespace}.
   *
   * @param replicaMaxLag how far a replica read from may trail the master ({@code outage.replica-max-lag})
   */
  public NamespaceStore(RedisConnections connections, Namespace namespace, ReadFrom readFrom,
      Duration commandTimeout, long logMaxLength, String cacheName, Duration replicaMaxLag) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.unnoticedLagNanos = unnoticedLag(Objects.requireNonNull(replicaMaxLag, "replicaMaxLag")).toNanos();
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.readFrom = Objects.requireNonNull(readFrom, "readFrom");
    this.timeoutMillis = Objects.requireNonNull(commandTimeout, "commandTimeout").toMillis();
    this.logMaxLength = bytes(Long.toString(logMaxLength));
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
  }

  /** The namespace layout, in the key space reads use now. */
  public Namespace namespace() {
    return namespace;
  }

  /**
   * Moves reads and writes to another key space of the namespace: a producer switched it to a generation
   * built beside the old one. Near copies read from the old space stop being served at once (a near cache
   * serves a value only while {@link #namespace()} is the layout it was read from), and the caller flushes
   * its near cache after this.
   *
   * @param space the meta hash's {@code space} field, {@code null} or empty for the first layout
   */
  public void moveTo(String space) {
    namespace = namespace.inSpace(space == null ? Namespace.FIRST_SPACE : space);
  }

  /** Whether a producer owns the namespace, as far as this store has seen. */
  public boolean isProducerOwned() {
    return producerOwned;
  }

  /** Takes note of the owner the namespace's meta hash names ({@code null}: none): a producer's is remembered. */
  public void noteOwner(String owner) {
    if (owner != null && owner.startsWith(PRODUCER_OWNER_PREFIX)) {
      producerOwned = true;
    }
  }

  /**
   * Sends reads to the master for as long as a replica may trail it ({@code outage.replica-max-lag}; one that
   * trails further is not read from once the lag check has seen it, which may take a few seconds more): the near
   * cache was flushed and forgot which versions it knew, or never learnt them, so a replica's older answers could
   * not be told apart.
   */
  public void readMasterUntilReplicasCaughtUp() {
    masterReadsUntilNanos = System.nanoTime() + unnoticedLagNanos;
  }

  /**
   * How far a replica read from may trail the master: {@code outage.replica-max-lag}, plus the time the lag check
   * may take to notice a replica trailing further.
   */
  public static Duration unnoticedLag(Duration replicaMaxLag) {
    return replicaMaxLag.plus(LAG_DETECTION);
  }

  /** Reads one entry from the read-from node; with {@code withTtl} also its remaining TTL. */
  public StoredEntry read(String encodedKey, boolean withTtl) {
    return read(this::reader, encodedKey, withTtl);
  }

  /** Reads one entry from the master, for read-modify-write operations. */
  public StoredEntry readFromMaster(String encodedKey, boolean withTtl) {
    return read(this::master, encodedKey, withTtl);
  }

  private StoredEntry read(Supplier<RedisClusterAsyncCommands<String, byte[]>> node, String encodedKey, boolean withTtl) {
    Namespace layout = namespace;
    String key = layout.entryKey(encodedKey);
    if (!withTtl) {
      byte[] envelope = call(() -> node.get().get(key), "GET");
      return envelope == null ? StoredEntry.absentIn(layout) : new StoredEntry(envelope, -1, layout);
    }
    return readWithTtl(node, List.of(key), layout).get(0);
  }

  /** Reads many entries from the read-from node in one round trip, in the order given. */
  public List<StoredEntry> readAll(List<String> encodedKeys, boolean withTtl) {
    return readAll(this::reader, encodedKeys, withTtl);
  }

  /** Reads many entries from the master in one round trip, in the order given. */
  public List<StoredEntry> readAllFromMaster(List<String> encodedKeys, boolean withTtl) {
    return readAll(this::master, encodedKeys, withTtl);
  }

  private List<StoredEntry> readAll(Supplier<RedisClusterAsyncCommands<String, byte[]>> node,
      List<String> encodedKeys, boolean withTtl) {
    if (encodedKeys.isEmpty()) {
      return List.of();
    }
    Namespace layout = namespace;
    List<String> keys = encodedKeys.stream().map(layout::entryKey).toList();
    if (withTtl) {
      return readWithTtl(node, keys, layout);
    }
    List<KeyValue<String, byte[]>> values =
        call(() -> node.get().mget(keys.toArray(String[]::new)), "MGET");
    List<StoredEntry> entries = new ArrayList<>(values.size());
    for (KeyValue<String, byte[]> value : values) {
      entries.add(value.hasValue() ? new StoredEntry(value.getValue(), -1, layout) : StoredEntry.absentIn(layout));
    }
    return entries;
  }

  private List<StoredEntry> readWithTtl(Supplier<RedisClusterAsyncCommands<String, byte[]>> node, List<String> keys,
      Namespace layout) {
    if (!connections.isCluster() || keys.size() == 1) {
      return readWithTtlInOneSlot(node, keys, layout);
    }
    // A script may only touch keys of one slot: one call per slot, then back into the caller's order.
    Map<String, StoredEntry> byKey = new HashMap<>();
    SlotHash.partition(ClientSetup.CODEC, keys).values().forEach(slotKeys -> {
      List<StoredEntry> entries = readWithTtlInOneSlot(node, slotKeys, layout);
      for (int i = 0; i < slotKeys.size(); i++) {
        byKey.put(slotKeys.get(i), entries.get(i));
      }
    });
    return keys.stream().map(byKey::get).toList();
  }

  private List<StoredEntry> readWithTtlInOneSlot(Supplier<RedisClusterAsyncCommands<String, byte[]>> node,
      List<String> keys, Namespace layout) {
    List<Object> reply = evaluate(node, READ, keys.toArray(String[]::new));
    List<StoredEntry> entries = new ArrayList<>(keys.size());
    for (int i = 0; i < reply.size(); i += 2) {
      byte[] envelope = (byte[]) reply.get(i);
      long ttl = (Long) reply.get(i + 1);
      entries.add(envelope == null
          ? StoredEntry.absentIn(layout)
          : new StoredEntry(envelope, ttl < 0 ? -1 : ttl, layout));
    }
    return entries;
  }

  /** Applies one mutation on the master. */
  public Mutation.Result mutate(Mutation mutation) {
    return mutateAll(List.of(mutation)).get(0);
  }

  /** Applies mutations on the master, pipelined: one round trip however many there are. */
  public List<Mutation.Result> mutateAll(List<Mutation> mutations) {
    if (!connections.isCluster()) {
      return mutateAll(mutations, null);
    }
    List<Long> announced = announceAll(mutations.stream().map(Mutation::encodedKey).toList(), null);
    List<Mutation.Result> results = mutateAll(mutations, announced);
    for (int i = 0; i < results.size(); i++) {
      Mutation.Result result = results.get(i);
      if (result.applied() && result.version() != announced.get(i)) {
        // A concurrent writer's newer version landed first: ours went in above it and must be logged too.
        announceAll(List.of(mutations.get(i).encodedKey()), result.version());
      }
    }
    return results;
  }

  /** Pipelines the mutations; {@code versions} are the ones announced on a cluster, else {@code null}. */
  private List<Mutation.Result> mutateAll(List<Mutation> mutations, List<Long> versions) {
    RedisClusterAsyncCommands<String, byte[]> master = master();
    List<CompletableFuture<List<Object>>> replies = new ArrayList<>(mutations.size());
    for (int i = 0; i < mutations.size(); i++) {
      Mutation mutation = mutations.get(i);
      String[] scriptKeys = mutationKeys(mutation, versions == null);
      byte[][] scriptArguments = mutationArguments(mutation, versions == null ? NO_BYTES
          : bytes(Long.toString(versions.get(i))));
      replies.add(dispatch(() -> MUTATE.run(master, ScriptOutputType.MULTI, scriptKeys, scriptArguments),
          MUTATE.name()));
    }
    List<Mutation.Result> results = new ArrayList<>(mutations.size());
    for (List<Object> reply : LuaScript.awaitInOrder(replies, pending -> await(pending, MUTATE.name()))) {
      long applied = (Long) reply.get(0);
      if (applied == -2L) {
        throw producerOwned(new String((byte[]) reply.get(2), StandardCharsets.UTF_8));
      }
      results.add(new Mutation.Result(applied == 1L, (Long) reply.get(1), (byte[]) reply.get(2),
          (Long) reply.get(3) == 1L, applied == -1L));
    }
    return results;
  }

  /**
   * Logs writes of the given keys before they are made (cluster only), pipelined; returns the
   * versions they must be written with. With {@code loggedVersion}, logs that version instead of
   * taking new ones.
   */
  private List<Long> announceAll(List<String> encodedKeys, Long loggedVersion) {
    RedisClusterAsyncCommands<String, byte[]> master = master();
    String[] keys = {namespace.sequenceKey(), namespace.logKey(), namespace.metaKey()};
    byte[] version = loggedVersion == null ? NO_BYTES : bytes(Long.toString(loggedVersion));
    List<CompletableFuture<Long>> replies = new ArrayList<>(encodedKeys.size());
    for (String encodedKey : encodedKeys) {
      byte[][] scriptArguments = {bytes(encodedKey), logMaxLength, generationPrefix, version};
      replies.add(dispatch(() -> ANNOUNCE.run(master, ScriptOutputType.INTEGER, keys, scriptArguments),
          ANNOUNCE.name()));
    }
    List<Long> versions = new ArrayList<>(encodedKeys.size());
    for (long logged : LuaScript.awaitInOrder(replies, pending -> await(pending, ANNOUNCE.name()))) {
      if (logged == -1L) {
        throw producerOwned(owner());
      }
      versions.add(logged);
    }
    return versions;
  }

  /** The owner recorded in the meta hash, or {@code null}. */
  private String owner() {
    RedisClusterAsyncCommands<String, byte[]> master = master();
    byte[] owner = call(() -> master.hget(namespace.metaKey(), OWNER), "HGET");
    return owner == null ? null : new String(owner, StandardCharsets.UTF_8);
  }

  private ProducerOwnedNamespaceException producerOwned(String owner) {
    return new ProducerOwnedNamespaceException("cache '" + cacheName + "' cannot write namespace " + namespace
        + ": it is written by " + owner + " (the owner in its meta hash), whose versions are source offsets; edges"
        + " may only read it. Change the data at its source, or give the cache a namespace of its own");
  }

  /** The script's keys: the entry, with {@code bookkeeping} the counter, log and meta hash, then any lease. */
  private String[] mutationKeys(Mutation mutation, boolean bookkeeping) {
    List<String> keys = new ArrayList<>(5);
    keys.add(namespace.entryKey(mutation.encodedKey()));
    if (bookkeeping) {
      keys.add(namespace.sequenceKey());
      keys.add(namespace.logKey());
      keys.add(namespace.metaKey());
    }
    if (mutation.isFenced()) {
      keys.add(leaseKey(mutation.encodedKey()));
    }
    return keys.toArray(String[]::new);
  }

  private byte[][] mutationArguments(Mutation mutation, byte[] announcedVersion) {
    boolean delete = mutation.isDelete();
    return new byte[][] {
        bytes(mutation.expectation()),
        bytes(delete ? "del" : "set"),
        delete ? NO_BYTES : new byte[] {mutation.value().flags()},
        delete ? NO_BYTES : mutation.value().payload(),
        bytes(mutation.ttlMillis() == Mutation.KEEP_TTL ? "keep" : Long.toString(mutation.ttlMillis())),
        bytes(mutation.encodedKey()),
        logMaxLength,
        bytes(mutation.returnPrevious() ? "1" : "0"),
        generationPrefix,
        announcedVersion,
        bytes(mutation.leaseToken())};
  }

  /**
   * The key of an entry's lease, in the entry's cluster slot (elsewhere the tag is an ordinary part of the name),
   * so that one script can check it and write the entry.
   */
  private String leaseKey(String encodedKey) {
    String tag = connections.isCluster()
        ? SlotTags.forSlot(StringBytesCodec.slotOf(namespace.entryKey(encodedKey))) : null;
    return namespace.leaseKey(encodedKey, tag);
  }

  /**
   * Takes the lease of a key for {@code leaseMillis} if no one holds it, reading the entry from the master
   * in the same round trip.
   */
  public LeaseReply acquireLease(String encodedKey, String token, long leaseMillis) {
    Namespace layout = namespace;
    List<Object> reply = leaseCommand(encodedKey, "acquire", token, leaseMillis);
    if ((Long) reply.get(0) == 1L) {
      byte[] envelope = reply.size() > 1 ? (byte[]) reply.get(1) : null;
      StoredEntry current = envelope == null ? StoredEntry.absentIn(layout) : new StoredEntry(envelope, -1, layout);
      return new LeaseReply(true, current, 0);
    }
    return new LeaseReply(false, null, (Long) reply.get(1));
  }

  /** Restarts the lease's time if {@code token} still holds it; returns whether it does. */
  public boolean renewLease(String encodedKey, String token, long leaseMillis) {
    return (Long) leaseCommand(encodedKey, "renew", token, leaseMillis).get(0) == 1L;
  }

  /** Gives the lease up if {@code token} still holds it. */
  public void releaseLease(String encodedKey, String token) {
    leaseCommand(encodedKey, "release", token, 0);
  }

  private List<Object> leaseCommand(String encodedKey, String operation, String token, long leaseMillis) {
    return evaluate(this::master, LEASE, new String[] {leaseKey(encodedKey), namespace.entryKey(encodedKey)},
        bytes(operation), bytes(token), bytes(Long.toString(leaseMillis)));
  }

  /**
   * The answer to a lease request.
   *
   * @param acquired whether the caller now holds the lease
   * @param current when acquired, the entry as the master holds it
   * @param remainingMillis when not acquired, how long the holder's lease still runs
   */
  public record LeaseReply(boolean acquired, StoredEntry current, long remainingMillis) {
  }

  /**
   * The namespace's generation: the id in its meta hash, created now if it has none; reads and writes move
   * to that generation's key space. A different generation later means the namespace was flushed or
   * rebuilt and near copies must go.
   */
  public String generation() {
    RedisClusterAsyncCommands<String, byte[]> master = master();
    call(() -> master.hsetnx(namespace.metaKey(), GENERATION, bytes(UUID.randomUUID().toString())), "HSETNX");
    List<KeyValue<String, byte[]>> fields =
        call(() -> master.hmget(namespace.metaKey(), GENERATION, SPACE, OWNER), "HMGET");
    moveTo(text(fields.get(1)));
    noteOwner(text(fields.get(2)));
    return text(fields.get(0));
  }

  private static String text(KeyValue<String, byte[]> field) {
    return field.hasValue() ? new String(field.getValue(), StandardCharsets.UTF_8) : null;
  }

  /**
   * Sets the remaining TTL of an entry without a new version ({@link Mutation#ETERNAL} removes it), unless a
   * producer owns the namespace: its entries' expiry is the producer's.
   */
  public void expire(String encodedKey, long ttlMillis) {
    String key = namespace.entryKey(encodedKey);
    byte[] ttl = bytes(ttlMillis == Mutation.ETERNAL ? "-1" : Long.toString(ttlMillis));
    if (!connections.isCluster()) {
      evaluate(this::master, RETIME, new String[] {key, namespace.metaKey()}, ttl);
      return;
    }
    // the meta hash lives in another slot: one more round trip, for access expiry on a cluster only
    String owner = owner();
    if (owner != null && owner.startsWith(PRODUCER_OWNER_PREFIX)) {
      return;
    }
    if (ttlMillis == Mutation.ETERNAL) {
      call(() -> master().persist(key), "PERSIST");
    } else {
      call(() -> master().pexpire(key, ttlMillis), "PEXPIRE");
    }
  }

  /**
   * One page of entry keys (encoded cache keys) from the read-from node (on a cluster: from every
   * master's slots in turn).
   *
   * @param previous the page before, {@code null} to start
   */
  public ScanPage scan(ScanPage previous, int count) {
    ScanCursor from = previous == null ? ScanCursor.INITIAL : previous.cursor;
    KeyScanCursor<String> page = call(() -> reader().scan(from,
        ScanArgs.Builder.matches(namespace.entryPattern()).limit(count)), "SCAN");
    List<String> encodedKeys = page.getKeys().stream().map(namespace::encodedKeyOf).toList();
    return new ScanPage(page, encodedKeys);
  }

  /**
   * Unlinks every entry of the namespace in batches, then logs one "cleared" record so other
   * caches drop their near copies. Returns the version of that record.
   */
  public long clear(int batchSize) {
    String owner = owner();
    if (owner != null && owner.startsWith(PRODUCER_OWNER_PREFIX)) {
      throw producerOwned(owner);
    }
    RedisClusterAsyncCommands<String, byte[]> master = master();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      ScanCursor from = cursor;
      cursor = call(() -> EntryPages.unlinkPage(master, namespace, from, batchSize), "SCAN and UNLINK");
    } while (!cursor.isFinished());
    List<Object> reply = evaluate(() -> master, CLEAR, new String[] {namespace.sequenceKey(), namespace.logKey()},
        logMaxLength);
    return (Long) reply.get(0);
  }

  /** The id of the newest change-log record, {@code 0-0} when the log is empty. */
  public String lastLogId() {
    List<StreamMessage<String, byte[]>> last = call(() -> master().xrevrange(namespace.logKey(),
        Range.create("-", "+"), Limit.from(1)), "XREVRANGE");
    return last.isEmpty() ? "0-0" : last.get(0).getId();
  }

  private List<Object> evaluate(Supplier<RedisClusterAsyncCommands<String, byte[]>> node, LuaScript script, String[] keys,
      byte[]... arguments) {
    Object result = call(() -> script.run(node.get(), ScriptOutputType.MULTI, keys, arguments), script.name());
    @SuppressWarnings("unchecked")
    List<Object> list = result instanceof List<?> ? (List<Object>) result : List.of(result);
    return list;
  }

  private RedisClusterAsyncCommands<String, byte[]> master() {
    connections.breaker().beforeCall(cacheName, namespace.toString());
    try {
      return connections.master();
    } catch (RuntimeException e) {
      throw cannotConnect(e);
    }
  }

  private RedisClusterAsyncCommands<String, byte[]> reader() {
    connections.breaker().beforeCall(cacheName, namespace.toString());
    try {
      return System.nanoTime() - masterReadsUntilNanos < 0 ? connections.master() : connections.reader(readFrom);
    } catch (RuntimeException e) {
      throw cannotConnect(e);
    }
  }

  private <T> T call(Supplier<? extends Future<T>> command, String name) {
    return await(dispatch(command, name), name);
  }

  /** Sends a command; Lettuce may refuse one before sending (no node to route it to, disconnected). */
  private <F extends Future<?>> F dispatch(Supplier<F> command, String name) {
    try {
      return command.get();
    } catch (RedisException e) {
      if (String.valueOf(e.getMessage()).startsWith(NO_REPLICA)) {
        // Lettuce learns replicas when it connects; with none known, a cache keeps working on the
        // master (replicasLagging routes reads there) until the heartbeat sees a replica answer.
        connections.replicasLagging(true);
        return command.get();
      }
      throw unavailable(name + " could not be sent to", e);
    }
  }

  private <T> T await(Future<T> future, String command) {
    try {
      T value = future.get(Sabotage.IGNORE_COMMAND_TIMEOUT.isActive() ? Long.MAX_VALUE : timeoutMillis,
          TimeUnit.MILLISECONDS);
      connections.breaker().onSuccess();
      return value;
    } catch (TimeoutException e) {
      future.cancel(false);
      throw unavailable(command + " got no answer within " + timeoutMillis + " ms from", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RedisCommandExecutionException) {
        connections.breaker().onSuccess();
        throw new RedisCommandFailedException("cache '" + cacheName + "' (namespace " + namespace
            + "): Redis at " + connections.address() + " rejected " + command + ": " + cause.getMessage(), cause);
      }
      throw unavailable(command + " failed against", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("cache '" + cacheName + "': interrupted while waiting for Redis", e);
    }
  }

  private RedisUnavailableException unavailable(String what, Throwable cause) {
    return unavailable(what, cause, adviceFor(cause));
  }

  /**
   * A failed connect. Lettuce does not always attach Redis's refusal to it, so one that names neither a server that
   * did not answer nor TLS inherits the reason of the last connect that gave one.
   */
  private RedisUnavailableException cannotConnect(RuntimeException cause) {
    boolean refusedBefore = connections.credentialsRefused() && !ConnectFailures.failedTls(cause)
        && !ConnectFailures.foundNoServer(cause);
    return unavailable("cannot connect to", cause, refusedBefore ? AUTHENTICATION_ADVICE : adviceFor(cause));
  }

  private RedisUnavailableException unavailable(String what, Throwable cause, String advice) {
    connections.breaker().onFailure(cause);
    return new RedisUnavailableException("cache '" + cacheName + "' (namespace " + namespace + "): " + what
        + " Redis at " + connections.address() + " (" + cause.getClass().getSimpleName() + ": "
        + cause.getMessage() + "); " + advice, cause);
  }

  /** What to check, from the causes: credentials and certificates are not outages. */
  private static String adviceFor(Throwable failure) {
    if (ConnectFailures.refusedCredentials(failure)) {
      return AUTHENTICATION_ADVICE;
    }
    if (ConnectFailures.failedTls(failure)) {
      return "the TLS handshake failed: check that the server certificate is trusted (redis.tls.trust-store)"
          + " and matches the host";
    }
    return "check that Redis is running and reachable, or raise command-timeout";
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** One page of a scan: the encoded cache keys found, and where the scan goes on. */
  public static final class ScanPage {

    private final ScanCursor cursor;
    private final List<String> encodedKeys;

    private ScanPage(ScanCursor cursor, List<String> encodedKeys) {
      this.cursor = cursor;
      this.encodedKeys = encodedKeys;
    }

    /** The encoded cache keys of this page (a key may appear on more than one page). */
    public List<String> encodedKeys() {
      return encodedKeys;
    }

    /** Whether the scan is complete. */
    public boolean isLast() {
      return cursor.isFinished();
    }
  }
}
