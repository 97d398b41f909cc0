package io.distcache.jcache.coherence;

import io.distcache.jcache.redis.CircuitBreaker;
import io.distcache.jcache.redis.RedisConnections;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.protocol.sabotage.Sabotage;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the change logs of all namespaces of one CacheManager with blocking {@code XREAD} on a
 * dedicated connection, and hands each namespace's records to its listeners, one per cache over the
 * namespace (docs/consistency.md).
 *
 * <p>Exact gap repair: it remembers the last record id per namespace and resumes from there, so
 * records written meanwhile are replayed and only the keys they name are dropped. A blocking
 * {@code XREAD} silently skips records trimmed before it ran, so after every read that returned
 * records (and after every reconnect) the follower checks that the record it read from still exists:
 * if it does not, the log was trimmed past it (this JVM was away or slower than {@code MAXLEN} writes),
 * emptied ({@code XTRIM}, {@code DEL}) or replaced by a failover, and the listeners are told to flush.
 * They flush too when the namespace's generation changes (FLUSHALL, rebuild, failover to an empty
 * node), and when its version counter goes back (a failover to a replica that lacked the last writes:
 * the versions handed out next collide with lost ones).
 *
 * <p>A producer namespace changes generation in one step: the producer builds the new generation in a
 * key space of its own and switches with a record naming it, which moves the listeners' reads there
 * before they flush. When a producer namespace loses its data, or is rebuilt after it did (its meta hash
 * gone, or marked {@code state = building}), the listeners keep their near copies, told they are stale,
 * until that switch.
 *
 * <p>A malformed record (no key, no numeric version) is skipped and counted; a listener that throws
 * anything is flushed, counted and logged, and the others still get their records. The follower's
 * successes and failures also feed the manager's circuit breaker, so an open breaker closes as soon
 * as Redis is back, without waiting for application traffic.
 */
public final class ChangeLogFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeLogFollower.class);
  private static final long BLOCK_MILLIS = 200;
  private static final int BATCH = 1000;
  private static final Duration RETRY_DELAY = Duration.ofMillis(250);
  private static final long HOUSEKEEPING_MILLIS = 1000;
  private static final String GENERATION = "generation";
  private static final String SPACE = "space";
  private static final String STATE = "state";
  private static final String OWNER = "owner";
  /** The {@code state} of a producer namespace whose current generation is not built yet. */
  private static final String BUILDING = "building";
  private static final String NO_RECORD = "0-0";
  /** Malformed records are logged at WARN on the first and then every this many. */
  private static final long MALFORMED_LOG_EVERY = 1000;
  private static final long REFUSAL_LOG_NANOS = 60_000_000_000L;

  private final RedisConnections connections;
  private final CircuitBreaker breaker;
  private final ReplicaLagMonitor replicaLag;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final BackgroundLoop loop;
  private final AtomicLong malformedRecords = new AtomicLong();
  private final AtomicLong listenerFailures = new AtomicLong();
  private boolean failing;
  private final FollowerConnection connection;
  private volatile long nextHousekeeping;
  /** When a refused check was last logged (follower thread only). */
  private long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_NANOS;
  /** Set only by {@link Sabotage#FOLLOWER_GIVES_UP}. */
  private boolean gaveUp;
  /** Records read so far; counted only for {@link Sabotage#DROP_CHANGE_RECORDS}. */
  private long readRecords;

  /**
   * Starts the follower thread; it idles until a namespace is followed.
   *
   * @param heartbeatKey the deployment's heartbeat key, see {@link ReplicaLagMonitor}
   */
  public ChangeLogFollower(RedisConnections connections, String name, String heartbeatKey, Duration replicaMaxLag) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.breaker = connections.breaker();
    this.replicaLag = new ReplicaLagMonitor(connections, heartbeatKey, replicaMaxLag);
    this.connection = new FollowerConnection(connections, Duration.ofMillis(BLOCK_MILLIS));
    this.loop = new BackgroundLoop("distcache-follower-" + Objects.requireNonNull(name, "name"), this::step);
    loop.start();
  }

  /**
   * Follows a namespace's change log for {@code listener} from the record after {@code lastId},
   * replaying the records of the {@code replay} before it too. Every listener of a namespace gets every
   * record; a namespace already followed is read again from that point if it lies further back
   * (records replayed to the other listeners change nothing).
   *
   * <p>A cache that reads replicas replays the span a replica may trail by ({@code outage.replica-max-lag} and
   * the time the lag check takes to notice more; a replica further behind is not read from): the writes its
   * replica lacks when the cache starts were logged before {@code lastId}, and the records of the span tell it of
   * them.
   *
   * <p>Until the replayed records are handed over, a change made after {@code lastId} waits behind them: a
   * near copy the caller filled meanwhile could stay stale for as long as the replay takes (a busy log holds
   * hundreds of thousands of records in that span). The returned stage tells when the listener has every record
   * up to {@code lastId}; from then on, changes reach it as fast as they reach any other.
   *
   * @param lastId the id of the newest record when the caller's near cache started ({@code 0-0} for all)
   * @param replay how far before {@code lastId} to start reading, {@link Duration#ZERO} for none
   * @param generation the namespace generation the caller's near cache reflects ({@code null} if none)
   * @return completes once {@code listener} was handed every record up to {@code lastId}, or once it stops
   *     following: at once without a replay, unless the namespace is followed already and its reads are still
   *     behind {@code lastId} (catching up after an outage)
   */
  public CompletableFuture<Void> follow(Namespace namespace, String lastId, Duration replay, String generation,
      ChangeListener listener) {
    boolean replays = !replay.isZero() && !NO_RECORD.equals(lastId);
    return follow(namespace, lastId, replay, generation, listener, null, replays ? lastId : null);
  }

  /**
   * Follows a namespace for a listener that could not read where its log ends (Redis did not answer when its cache
   * started): from the log's start, once Redis answers.
   *
   * @return completes once a read of the log hands the listener fewer records than it asks for at most, so that it
   *     has every record there was (see {@link #follow})
   */
  public CompletableFuture<Void> followFromTheStart(Namespace namespace, ChangeListener listener) {
    return follow(namespace, NO_RECORD, Duration.ZERO, null, listener, null, Subscription.TO_THE_END);
  }

  /**
   * @param upTo the record the listener's catch-up waits for, {@link Subscription#TO_THE_END} for a read that reaches the log's
   *     end, {@code null} for none
   */
  private CompletableFuture<Void> follow(Namespace namespace, String lastId, Duration replay, String generation,
      ChangeListener listener, String mustHold, String upTo) {
    boolean fromRecord = replay.isZero() || NO_RECORD.equals(lastId);
    String fromId = fromRecord ? lastId : StreamIds.before(lastId, replay.toMillis());
    CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    subscriptions.compute(namespace.logKey(), (logKey, current) -> {
      if (current == null) {
        Subscription subscription = new Subscription(namespace, listener, fromId, fromRecord, generation);
        subscription.mustHold = mustHold;
        subscription.awaitCatchUp(listener, upTo, caughtUp);
        return subscription;
      }
      // A listener joining without a replay waits for its start record while the namespace's reads are behind it
      // (catching up after an outage): changes made now would wait behind those records.
      String joinedUpTo = upTo != null || NO_RECORD.equals(lastId) || StreamIds.compare(current.lastId, lastId) >= 0
          ? upTo : lastId;
      current.listeners.add(listener);
      if (mustHold != null && (current.mustHold == null || StreamIds.compare(mustHold, current.mustHold) < 0)) {
        current.mustHold = mustHold;
      }
      if (!Objects.equals(generation, current.generation)) {
        // The new cache read the namespace while a switch was being handled (or Redis was down): move every
        // listener to the generation the meta hash names at the next check, which wake() brings forward.
        current.recheck = true;
        nextHousekeeping = 0;
      }
      // Never all the way back (Redis was down when the cache started): the others would get the whole log.
      if (!NO_RECORD.equals(fromId) && StreamIds.compare(fromId, current.lastId) < 0) {
        current.lastId = fromId;
        current.lastIdIsRecord = fromRecord;
      }
      current.awaitCatchUp(listener, joinedUpTo, caughtUp);
      // Last: a read that began before this join neither moves past what the new listener did not get, nor tells it
      // that it caught up (see read).
      current.joins++;
      return current;
    });
    wake();
    return caughtUp;
  }

  /**
   * Follows a namespace for a listener whose near cache was restored from a snapshot taken at record
   * {@code snapshotId}, as {@link #follow} does from that id. Once Redis answers, the log must still hold that
   * record: if it does not (trimmed past it, or replaced), the listener is flushed, since what changed since the
   * snapshot can no longer be told; then the listener hears {@link ChangeListener#onResumed}. The check runs after
   * the first read from that point: a record trimmed before that read would go unnoticed otherwise.
   *
   * @return completes once a read hands the listener fewer records than it asks for at most (see
   *     {@link #followFromTheStart})
   */
  public CompletableFuture<Void> resume(Namespace namespace, String snapshotId, Duration replay, String generation,
      ChangeListener listener) {
    return follow(namespace, snapshotId, replay, generation, listener, snapshotId, Subscription.TO_THE_END);
  }

  /**
   * Where the follower stands in a namespace, or {@code null} when the namespace is not followed: the change-log
   * id up to which every record was handed to its listeners, and the generation they were moved to. A near cache
   * holds no copy older than the records up to that id.
   */
  public Position position(Namespace namespace) {
    Subscription subscription = subscriptions.get(namespace.logKey());
    if (subscription == null) {
      return null;
    }
    String lastId = subscription.lastId;
    boolean isRecord = subscription.lastIdIsRecord && !NO_RECORD.equals(lastId);
    return new Position(lastId, isRecord, subscription.generation);
  }

  /**
   * Where the follower stands in a namespace.
   *
   * @param lastId the change-log id up to which every record was handed to the listeners
   * @param isRecord whether {@code lastId} is a record's id, which a later check can find in the log; not the
   *     log's start ({@code 0-0}) nor a replay start, which say nothing of records trimmed since
   * @param generation the generation the listeners were moved to, {@code null} when not known yet
   */
  public record Position(String lastId, boolean isRecord, String generation) {
  }

  /**
   * Ends the follower's current blocking read at once, so the next one includes a namespace just
   * added instead of starting up to one block later (a new cache would miss changes until then).
   */
  private void wake() {
    loop.wake();
    connection.unblock();
  }

  /** Stops following a namespace's change log for {@code listener}; its other listeners keep getting records. */
  public void unfollow(Namespace namespace, ChangeListener listener) {
    subscriptions.computeIfPresent(namespace.logKey(), (logKey, current) -> {
      current.listeners.remove(listener);
      current.caughtUp(listener);
      return current.listeners.isEmpty() ? null : current;
    });
  }

  /** Whether the follower thread is alive (it survives every failure until closed). */
  public boolean isRunning() {
    return loop.isAlive();
  }

  /** Records skipped because they had no key or no numeric version. */
  public long malformedRecords() {
    return malformedRecords.get();
  }

  /** Times a listener threw while applying records or flushing (its near cache was flushed). */
  public long listenerFailures() {
    return listenerFailures.get();
  }

  /** Times the follower's loop failed with something other than a Redis error and was restarted. */
  public long loopFailures() {
    return loop.failures();
  }

  private void step() {
    breaker.reportFlapping();
    if (subscriptions.isEmpty() || gaveUp) {
      // follow() wakes the loop, so the first namespace is read at once (gaveUp: a negative control only).
      loop.pause(Duration.ofMillis(BLOCK_MILLIS));
      return;
    }
    try {
      followOnce(failing);
      breaker.onSuccess();
      if (failing) {
        LOG.info("change-log follower reconnected to Redis at {}; replayed what it missed", connections.address());
        failing = false;
      }
    } catch (Throwable e) {
      // Anything, Errors included: reconnect and re-check the gaps, generations and counters after it.
      if (!loop.isRunning()) {
        return;
      }
      breaker.onFailure(e);
      connection.drop();
      gaveUp = Sabotage.FOLLOWER_GIVES_UP.isActive();
      if (!failing) {
        LOG.warn("change-log follower lost Redis at {} ({}); retrying every {} ms",
            connections.address(), e.getMessage(), RETRY_DELAY.toMillis());
        failing = true;
      }
      loop.pause(RETRY_DELAY);
    }
  }

  private void followOnce(boolean recovering) {
    StatefulRedisConnection<String, byte[]> current = connection.current();
    RedisCommands<String, byte[]> commands = current.sync();
    if (recovering) {
      // A reconnect gives the connection a new server-side id; wake() must name the current one.
      connection.learnClientId();
    }
    // A snapshot: a namespace re-followed meanwhile (cache destroyed and re-created) gets a new
    // Subscription, and what was read for the old one must not reach it.
    Map<String, Subscription> snapshot = new LinkedHashMap<>(subscriptions);
    long now = System.currentTimeMillis();
    if (recovering || now >= nextHousekeeping) {
      housekeep(current, snapshot);
      nextHousekeeping = now + HOUSEKEEPING_MILLIS;
    }
    if (recovering && Sabotage.RESUME_AT_LOG_END.isActive()) {
      snapshot.forEach((logKey, subscription) -> resumeAtLogEnd(commands, subscription, logKey));
    }
    if (recovering) {
      snapshot.forEach((logKey, subscription) -> {
        // a snapshot's record is checked after the read below
        if (!subscription.lastId.equals(subscription.mustHold)) {
          checkGap(commands, logKey, subscription, subscription.lastId, subscription.lastIdIsRecord);
        }
      });
    }
    if (Sabotage.SNAPSHOT_RESUMES_AT_LOG_END.isActive()) {
      snapshot.forEach((logKey, subscription) -> {
        if (subscription.mustHold != null) {
          resumeAtLogEnd(commands, subscription, logKey);
        }
      });
    }
    read(commands, snapshot);
    // After the read: the records it returned came after the snapshot's record only if that record is still there.
    snapshot.forEach((logKey, subscription) -> checkResumed(commands, logKey, subscription));
  }

  private static void resumeAtLogEnd(RedisCommands<String, byte[]> commands, Subscription subscription,
      String logKey) {
    List<StreamMessage<String, byte[]>> newest = commands.xrevrange(logKey, Range.unbounded(), Limit.from(1));
    if (!newest.isEmpty()) {
      subscription.lastId = newest.get(0).getId();
      subscription.lastIdIsRecord = true;
    }
  }

  /** Checks the record a snapshot's near copies reflect is still in the log (see {@link #resume}), once. */
  private void checkResumed(RedisCommands<String, byte[]> commands, String logKey, Subscription subscription) {
    String snapshotId = subscription.mustHold;
    if (snapshotId == null) {
      return;
    }
    checkGap(commands, logKey, subscription, snapshotId, true);
    subscription.mustHold = null;
    for (ChangeListener listener : subscription.listeners) {
      try {
        listener.onResumed();
      } catch (Throwable e) {
        listenerFailures.incrementAndGet();
        LOG.error("telling a near cache of {} that its snapshot resumed failed", logKey, e);
      }
    }
  }

  /**
   * The once-a-second checks: generations, version counters, replica heartbeat. Their commands go out together and
   * cost the follower one round trip rather than one each, since the changes arriving meanwhile wait for them.
   */
  private void housekeep(StatefulRedisConnection<String, byte[]> current, Map<String, Subscription> snapshot) {
    RedisAsyncCommands<String, byte[]> async = current.async();
    Map<String, RedisFuture<List<KeyValue<String, byte[]>>>> metas = new LinkedHashMap<>();
    Map<String, RedisFuture<byte[]>> sequences = new LinkedHashMap<>();
    if (!Sabotage.IGNORE_DATA_LOSS.isActive()) {
      snapshot.forEach((logKey, subscription) -> {
        metas.put(logKey, async.hmget(subscription.namespace.metaKey(), GENERATION, SPACE, STATE, OWNER));
        sequences.put(logKey, async.get(subscription.namespace.sequenceKey()));
      });
    }
    ReplicaLagMonitor.Beat beat = replicaLag.beat(async);
    Duration timeout = current.getTimeout();
    // Each check on its own: one namespace's refusal must not end the others' checks, nor the replicas'.
    metas.forEach((logKey, meta) -> unlessRefused(logKey, () -> checkGeneration(logKey, snapshot.get(logKey),
        Replies.awaited(meta, timeout), Replies.awaited(sequences.get(logKey), timeout))));
    unlessRefused("the replica heartbeat", () -> replicaLag.tick(beat, timeout));
  }

  /**
   * Runs a check; a refusal for the user's rights or a key's type, which no reconnect changes, is logged and the
   * follower goes on (records must keep flowing). Any other error still ends the step: a node that answers READONLY,
   * LOADING or MASTERDOWN is no master now, and the follower reconnects.
   */
  private void unlessRefused(String what, Runnable check) {
    try {
      check.run();
    } catch (RedisCommandExecutionException e) {
      if (!Replies.isRefusal(e)) {
        throw e;
      }
      checkRefused(what, e);
    }
  }

  private void checkRefused(String what, RedisCommandExecutionException refusal) {
    long now = System.nanoTime();
    if (now - lastRefusalLog >= REFUSAL_LOG_NANOS) {
      lastRefusalLog = now;
      LOG.warn("Redis at {} refused the change-log follower's once-a-second check of {} ({}); change-log records keep"
          + " arriving, but that check waits until Redis accepts it (logged at most once a minute)",
          connections.address(), what, refusal.getMessage());
    }
  }

  private void checkGeneration(String logKey, Subscription subscription, List<KeyValue<String, byte[]>> meta,
      byte[] sequence) {
    String generation = text(meta.get(0));
    String owner = text(meta.get(3));
    boolean owned = owner != null && !owner.isEmpty();
    // Once a producer's, always: a meta hash without an owner then was recreated by an edge after a data loss.
    subscription.producerOwned |= owned;
    if (owned && !owner.equals(subscription.owner)) {
      subscription.owner = owner;
      subscription.listeners.forEach(listener -> listener.onOwner(owner));
    }
    if (Objects.equals(generation, subscription.generation) && !subscription.recheck) {
      checkSequence(logKey, subscription, sequence);
      return;
    }
    subscription.recheck = false;
    if (subscription.producerOwned && (generation == null || !owned || BUILDING.equals(text(meta.get(2))))) {
      markStale(logKey, subscription, generation == null
          ? "namespace meta was deleted (FLUSHALL or a node that lost its data); its producer rebuilds it"
          : "its producer is rebuilding it after it lost its data");
      return;
    }
    // A new generation is a producer's switch; in a namespace no producer owns, only a loss makes one.
    FlushCause cause = subscription.producerOwned && generation != null ? FlushCause.SWITCH : FlushCause.DATA_LOSS;
    switchTo(logKey, subscription, generation, text(meta.get(1)), cause, generation == null
        ? "namespace meta was deleted (FLUSHALL or a node that lost its data)"
        : "namespace generation changed to " + generation + " (flushed or rebuilt)");
  }

  private static String currentGeneration(RedisCommands<String, byte[]> commands, Subscription subscription) {
    byte[] generation = commands.hget(subscription.namespace.metaKey(), GENERATION);
    return generation == null ? null : new String(generation, StandardCharsets.UTF_8);
  }

  private static String text(KeyValue<String, byte[]> field) {
    return field.hasValue() ? new String(field.getValue(), StandardCharsets.UTF_8) : null;
  }

  /**
   * Moves the listeners to a new generation: reads go to the master until replicas show it (a replica
   * that shows it holds everything written before it, the switched generation's entries included), then
   * each listener moves its reads to {@code space} and flushes.
   */
  private void switchTo(String logKey, Subscription subscription, String generation, String space, FlushCause cause,
      String reason) {
    if (subscriptions.get(logKey) != subscription) {
      return;
    }
    subscription.generation = generation;
    subscription.highestSequence = 0;
    subscription.stale = false;
    replicaLag.requireGeneration(subscription.namespace.metaKey(), generation);
    for (ChangeListener listener : subscription.listeners) {
      try {
        listener.onSwitch(space, cause, reason);
      } catch (Throwable e) {
        listenerFailures.incrementAndGet();
        LOG.error("moving a near cache of {} to generation {} failed", logKey, generation, e);
      }
    }
  }

  private void markStale(String logKey, Subscription subscription, String reason) {
    if (subscription.stale || subscriptions.get(logKey) != subscription) {
      return;
    }
    subscription.stale = true;
    for (ChangeListener listener : subscription.listeners) {
      try {
        listener.onStale(reason);
      } catch (Throwable e) {
        listenerFailures.incrementAndGet();
        LOG.error("marking a near cache of {} stale failed", logKey, e);
      }
    }
  }

  /**
   * Flushes when the namespace's version counter went below a value seen before: Redis lost writes (a
   * failover to a replica that lacked them), and the versions handed out next repeat the lost ones, so
   * near copies at those versions would look as new as the records that should drop them. Producer
   * namespaces have no counter (their versions are source offsets) and are never flushed here.
   */
  private void checkSequence(String logKey, Subscription subscription, byte[] raw) {
    long sequence = raw == null ? 0 : ChangeRecords.parseVersion(raw);
    if (sequence < subscription.highestSequence) {
      reset(logKey, subscription, FlushCause.DATA_LOSS, "its version counter went back from " + subscription.highestSequence + " to "
          + sequence + " (a failover lost acknowledged writes)");
    }
    subscription.highestSequence = sequence;
  }

  /**
   * Flushes when the record the follower read up to, {@code readFrom}, is no longer in the log: records
   * after it may have been trimmed or deleted unread ({@code XREAD} skips them silently), or the log was
   * replaced by a failover. Errs on the side of a flush: the record itself may have gone with nothing
   * after it lost. A replay start is no record and is not checked: it lies one replica lag before a new
   * cache's first record, and the near cache it would flush was empty then.
   */
  private void checkGap(RedisCommands<String, byte[]> commands, String logKey, Subscription subscription,
      String readFrom, boolean isRecord) {
    // A stale namespace lost its log with its data; the switch that ends it flushes anyway.
    if (!isRecord || NO_RECORD.equals(readFrom) || subscription.stale || Sabotage.IGNORE_LOG_GAPS.isActive()) {
      return;
    }
    if (commands.xrange(logKey, Range.create(readFrom, readFrom), Limit.from(1)).isEmpty()) {
      reset(logKey, subscription, FlushCause.LOG_GAP, "its change log no longer holds record " + readFrom
          + " (trimmed past it by more than change-log.max-length writes, emptied, or replaced by a failover)");
    }
  }

  private void reset(String logKey, Subscription subscription, FlushCause cause, String reason) {
    if (subscriptions.get(logKey) != subscription) {
      return;
    }
    for (ChangeListener listener : subscription.listeners) {
      try {
        listener.onReset(cause, reason);
      } catch (Throwable e) {
        listenerFailures.incrementAndGet();
        LOG.error("flushing a near cache of {} failed", logKey, e);
      }
    }
  }

  private void read(RedisCommands<String, byte[]> commands, Map<String, Subscription> snapshot) {
    Map<String, String> readFrom = new LinkedHashMap<>();
    Map<String, Boolean> readFromRecord = new LinkedHashMap<>();
    // Taken before the offsets. A listener that joins after them may have moved the start back, and is added to the
    // listeners while this read's records are being handed over: it gets them only when they are read again.
    Map<String, Long> joins = new HashMap<>();
    Map<String, Set<ChangeListener>> catchingUp = new HashMap<>();
    snapshot.forEach((logKey, subscription) -> {
      joins.put(logKey, subscription.joins);
      catchingUp.put(logKey, subscription.catchingUp());
    });
    snapshot.forEach((logKey, subscription) -> {
      readFrom.put(logKey, subscription.lastId);
      readFromRecord.put(logKey, subscription.lastIdIsRecord);
    });
    @SuppressWarnings("unchecked")
    XReadArgs.StreamOffset<String>[] offsets = readFrom.entrySet().stream()
        .map(entry -> XReadArgs.StreamOffset.from(entry.getKey(), entry.getValue()))
        .toArray(XReadArgs.StreamOffset[]::new);
    List<StreamMessage<String, byte[]>> messages =
        commands.xread(XReadArgs.Builder.block(BLOCK_MILLIS).count(BATCH), offsets);
    if (messages == null || messages.isEmpty()) {
      // Nothing after any offset: every listener that waited has every record there is.
      snapshot.forEach((logKey, subscription) -> caughtUpIfNoneJoined(subscription, joins.get(logKey),
          catchingUp.get(logKey)));
      return;
    }
    Map<String, List<ChangeRecord>> byStream = new LinkedHashMap<>();
    Map<String, String> lastIds = new LinkedHashMap<>();
    Map<String, Integer> read = new HashMap<>();
    for (StreamMessage<String, byte[]> message : messages) {
      read.merge(message.getStream(), 1, Integer::sum);
      List<ChangeRecord> records = byStream.computeIfAbsent(message.getStream(), k -> new ArrayList<>());
      ChangeRecord record = toRecord(message);
      if (record != null && !(Sabotage.DROP_CHANGE_RECORDS.isActive() && ++readRecords % 3 == 0)) {
        records.add(record);
      }
      lastIds.put(message.getStream(), message.getId());
    }
    byStream.forEach((stream, records) -> {
      Subscription subscription = snapshot.get(stream);
      boolean switched = subscriptions.get(stream) == subscription && !records.isEmpty()
          && deliverAndSwitch(commands, stream, subscription, records);
      // Delivered first, so the check costs invalidations no latency; a gap flushes everything anyway, and
      // so did a switch (a log that a lost namespace's producer created again lacks the record read from).
      String from = readFrom.get(stream);
      // A snapshot's record is checked right after this read (checkResumed): once is enough.
      if (!switched && !from.equals(subscription.mustHold)) {
        checkGap(commands, stream, subscription, from, readFromRecord.get(stream));
      }
      // Unless a cache that joined meanwhile moved the subscription back to read from further back.
      // Unless a listener joined meanwhile: it missed these records, and the next read hands them over again.
      boolean[] advanced = new boolean[1];
      subscriptions.computeIfPresent(stream, (logKey, current) -> {
        if (current == subscription && from.equals(current.lastId) && current.joins == joins.get(stream)) {
          current.lastId = lastIds.get(stream);
          current.lastIdIsRecord = true;
          advanced[0] = true;
        }
        return current;
      });
      if (advanced[0]) {
        subscription.catchUpsReached(catchingUp.get(stream), read.get(stream) < BATCH);
      }
    });
    snapshot.forEach((logKey, subscription) -> {
      if (!byStream.containsKey(logKey)) {
        caughtUpIfNoneJoined(subscription, joins.get(logKey), catchingUp.get(logKey));
      }
    });
  }

  private static void caughtUpIfNoneJoined(Subscription subscription, long joinsBeforeTheRead,
      Set<ChangeListener> waiting) {
    if (subscription.joins == joinsBeforeTheRead) {
      waiting.forEach(subscription::caughtUp);
    }
  }

  /**
   * Delivers the records in log order; a switch record moves the listeners before the records after it.
   *
   * @return whether the listeners were switched to another generation
   */
  private boolean deliverAndSwitch(RedisCommands<String, byte[]> commands, String stream, Subscription subscription,
      List<ChangeRecord> records) {
    boolean switched = false;
    int from = 0;
    for (int i = 0; i < records.size(); i++) {
      ChangeRecord record = records.get(i);
      if (record.isSwitch()) {
        // only producers write switch records
        subscription.producerOwned = true;
        if (i > from) {
          deliver(stream, subscription, records.subList(from, i));
        }
        from = i + 1;
        // Only the switch to the generation the namespace has now: an older record, replayed after an outage or
        // by a cache that reads the log from further back, must not move reads back to a retired key space.
        if ((!record.generation().equals(subscription.generation) || subscription.stale)
            && record.generation().equals(currentGeneration(commands, subscription))) {
          switchTo(stream, subscription, record.generation(), record.space(), FlushCause.SWITCH,
              "its producer switched it to generation "
              + record.generation() + ", built beside the old one");
          switched = true;
        }
      }
    }
    if (from < records.size()) {
      deliver(stream, subscription, records.subList(from, records.size()));
    }
    return switched;
  }

  private void deliver(String stream, Subscription subscription, List<ChangeRecord> records) {
    for (ChangeListener listener : subscription.listeners) {
      try {
        listener.onChanges(records);
      } catch (Throwable e) {
        listenerFailures.incrementAndGet();
        LOG.error("applying {} change-log records of {} failed; flushing that near cache", records.size(), stream, e);
        try {
          listener.onReset(FlushCause.APPLY_FAILURE, "applying its change-log records failed");
        } catch (Throwable again) {
          LOG.error("flushing a near cache of {} failed too", stream, again);
        }
      }
    }
  }

  /** The record, or {@code null} (counted and logged) when it lacks a key or a numeric version. */
  private ChangeRecord toRecord(StreamMessage<String, byte[]> message) {
    ChangeRecord record = ChangeRecords.parse(message.getBody(), message.getId());
    if (record == null) {
      long count = malformedRecords.incrementAndGet();
      if (count % MALFORMED_LOG_EVERY == 1) {
        LOG.warn("skipped malformed change-log record {} of {} (fields {}; {} so far): every record needs a key k"
            + " and a version v >= 0; keep other tools from writing to the change log",
            message.getId(), message.getStream(), message.getBody().keySet(), count);
      }
    }
    return record;
  }

  @Override
  public void close() {
    loop.close();
    connection.close();
  }
}
