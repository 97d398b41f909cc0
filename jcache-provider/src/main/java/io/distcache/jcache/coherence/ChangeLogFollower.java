package io.distcache.jcache.coherence;

import io.distcache.jcache.redis.CircuitBreaker;
import io.distcache.jcache.redis.RedisConnections;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.UnblockType;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the change logs of all namespaces of one CacheManager with blocking {@code XREAD} on a
 * dedicated connection, and hands each namespace's records to its listener (DESIGN.md §4).
 *
 * <p>Exact gap repair: it remembers the last record id per namespace and resumes from there after
 * any error, so records written meanwhile are replayed and only the keys they name are dropped.
 * When the log no longer reaches back to that id (trimmed while this JVM was away or too slow), or
 * the namespace's generation changed (FLUSHALL, rebuild, failover to an empty node), the listener
 * is told to flush instead. Its successes and failures also feed the manager's circuit breaker, so
 * an open breaker closes as soon as Redis is back, without waiting for application traffic.
 */
public final class ChangeLogFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeLogFollower.class);
  private static final long BLOCK_MILLIS = 200;
  private static final int BATCH = 1000;
  private static final Duration RETRY_DELAY = Duration.ofMillis(250);
  private static final long HOUSEKEEPING_MILLIS = 1000;
  private static final String GENERATION = "generation";

  private final RedisConnections connections;
  private final CircuitBreaker breaker;
  private final ReplicaLagMonitor replicaLag;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final BackgroundLoop loop;
  private boolean failing;
  private StatefulRedisConnection<String, byte[]> connection;
  private volatile Long clientId;
  private long nextHousekeeping;

  /**
   * Starts the follower thread; it idles until a namespace is followed.
   *
   * @param heartbeatKey the deployment's heartbeat key, see {@link ReplicaLagMonitor}
   */
  public ChangeLogFollower(RedisConnections connections, String name, String heartbeatKey, Duration replicaMaxLag) {
    this.connections = connections;
    this.breaker = connections.breaker();
    this.replicaLag = new ReplicaLagMonitor(connections, heartbeatKey, replicaMaxLag);
    this.loop = new BackgroundLoop("distcache-follower-" + name, this::step);
    loop.start();
  }

  /**
   * Follows a namespace's change log from the record after {@code fromId}.
   *
   * @param logKey the stream key
   * @param metaKey the namespace's meta hash key (holds its generation)
   * @param fromId the id of the last record already reflected by the caller ({@code 0-0} for all)
   * @param generation the namespace generation the caller's near cache reflects ({@code null} if none)
   */
  public void follow(String logKey, String metaKey, String fromId, String generation, ChangeListener listener) {
    subscriptions.put(logKey, new Subscription(metaKey, listener, fromId, generation));
    wake();
  }

  /**
   * Ends the follower's current blocking read at once, so the next one includes a namespace just
   * added instead of starting up to one block later (a new cache would miss changes until then).
   */
  private void wake() {
    loop.wake();
    Long blockedClient = clientId;
    if (blockedClient == null) {
      return;
    }
    try {
      connections.bookkeepingNode().clientUnblock(blockedClient, UnblockType.TIMEOUT);
    } catch (RuntimeException e) {
      LOG.debug("could not wake the change-log follower; it picks the namespace up within {} ms", BLOCK_MILLIS, e);
    }
  }

  /** Stops following a change log. */
  public void unfollow(String logKey) {
    subscriptions.remove(logKey);
  }

  private void step() {
    breaker.reportFlapping();
    if (subscriptions.isEmpty()) {
      // follow() wakes the loop, so the first namespace is read at once.
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
    } catch (RuntimeException e) {
      if (!loop.isRunning()) {
        return;
      }
      breaker.onFailure(e);
      dropConnection();
      if (!failing) {
        LOG.warn("change-log follower lost Redis at {} ({}); retrying every {} ms",
            connections.address(), e.getMessage(), RETRY_DELAY.toMillis());
        failing = true;
      }
      loop.pause(RETRY_DELAY);
    }
  }

  private void followOnce(boolean recovering) {
    RedisCommands<String, byte[]> commands = connection().sync();
    if (recovering) {
      // A reconnect gives the connection a new server-side id; wake() must name the current one.
      clientId = clientIdOf(commands);
    }
    // A snapshot: a namespace re-followed meanwhile (cache destroyed and re-created) gets a new
    // Subscription, and what was read for the old one must not reach it.
    Map<String, Subscription> snapshot = new LinkedHashMap<>(subscriptions);
    long now = System.currentTimeMillis();
    if (recovering || now >= nextHousekeeping) {
      checkGenerations(commands, snapshot);
      replicaLag.tick(commands);
      nextHousekeeping = now + HOUSEKEEPING_MILLIS;
    }
    snapshot.forEach((logKey, subscription) -> {
      if (recovering || subscription.checkGap) {
        checkGap(commands, logKey, subscription);
      }
    });
    read(commands, snapshot);
  }

  private void checkGenerations(RedisCommands<String, byte[]> commands, Map<String, Subscription> snapshot) {
    snapshot.forEach((logKey, subscription) -> {
      byte[] raw = commands.hget(subscription.metaKey, GENERATION);
      String generation = raw == null ? null : new String(raw, StandardCharsets.UTF_8);
      if (!Objects.equals(generation, subscription.generation)) {
        subscription.generation = generation;
        // Before the flush: reads that refill the near cache must not meet a replica's old data.
        replicaLag.requireGeneration(subscription.metaKey, generation);
        reset(logKey, subscription, generation == null
            ? "namespace meta was deleted (FLUSHALL or a node that lost its data)"
            : "namespace generation changed to " + generation + " (flushed or rebuilt)");
      }
    });
  }

  private void checkGap(RedisCommands<String, byte[]> commands, String logKey, Subscription subscription) {
    subscription.checkGap = false;
    if ("0-0".equals(subscription.lastId)) {
      return;
    }
    List<StreamMessage<String, byte[]>> first = commands.xrange(logKey, Range.create("-", "+"), Limit.from(1));
    if (!first.isEmpty() && StreamIds.compare(first.get(0).getId(), subscription.lastId) > 0) {
      reset(logKey, subscription, "change log was trimmed past record " + subscription.lastId);
    }
  }

  private void reset(String logKey, Subscription subscription, String reason) {
    if (subscriptions.get(logKey) == subscription) {
      try {
        subscription.listener.onReset(reason);
      } catch (RuntimeException e) {
        LOG.error("flushing the near cache of {} failed", logKey, e);
      }
    }
  }

  private void read(RedisCommands<String, byte[]> commands, Map<String, Subscription> snapshot) {
    @SuppressWarnings("unchecked")
    XReadArgs.StreamOffset<String>[] offsets = snapshot.entrySet().stream()
        .map(entry -> XReadArgs.StreamOffset.from(entry.getKey(), entry.getValue().lastId))
        .toArray(XReadArgs.StreamOffset[]::new);
    List<StreamMessage<String, byte[]>> messages =
        commands.xread(XReadArgs.Builder.block(BLOCK_MILLIS).count(BATCH), offsets);
    if (messages == null || messages.isEmpty()) {
      return;
    }
    Map<String, List<ChangeRecord>> byStream = new LinkedHashMap<>();
    Map<String, String> lastIds = new LinkedHashMap<>();
    for (StreamMessage<String, byte[]> message : messages) {
      byStream.computeIfAbsent(message.getStream(), k -> new ArrayList<>()).add(toRecord(message));
      lastIds.put(message.getStream(), message.getId());
    }
    byStream.forEach((stream, records) -> {
      Subscription subscription = snapshot.get(stream);
      if (subscriptions.get(stream) == subscription) {
        deliver(stream, subscription, records);
      }
      subscription.lastId = lastIds.get(stream);
      // A full batch means more is waiting: make sure the log still reaches back to what was read.
      subscription.checkGap = records.size() >= BATCH;
    });
  }

  private static void deliver(String stream, Subscription subscription, List<ChangeRecord> records) {
    try {
      subscription.listener.onChanges(records);
    } catch (RuntimeException e) {
      LOG.error("applying {} change-log records of {} failed", records.size(), stream, e);
    }
  }

  private static ChangeRecord toRecord(StreamMessage<String, byte[]> message) {
    Map<String, byte[]> body = message.getBody();
    return new ChangeRecord(new String(body.get("k"), StandardCharsets.UTF_8),
        Long.parseLong(new String(body.get("v"), StandardCharsets.US_ASCII)));
  }

  private StatefulRedisConnection<String, byte[]> connection() {
    if (connection == null || !connection.isOpen()) {
      connection = connections.dedicated();
      clientId = clientIdOf(connection.sync());
    }
    return connection;
  }

  /**
   * The server-side id of the follower's connection, or {@code null} when an ACL denies
   * {@code CLIENT ID} (then new namespaces are picked up within one blocking read instead of at once).
   */
  private Long clientIdOf(RedisCommands<String, byte[]> commands) {
    try {
      return commands.clientId();
    } catch (RedisCommandExecutionException e) {
      LOG.debug("CLIENT ID refused on Redis at {} ({}); new caches are followed within {} ms",
          connections.address(), e.getMessage(), BLOCK_MILLIS);
      return null;
    }
  }

  /**
   * Closes the connection after a failure, so the next attempt connects anew: through Sentinel to
   * the current master, on a cluster to the node now serving the change logs' slot.
   */
  private void dropConnection() {
    if (connection != null) {
      connection.closeAsync();
      connection = null;
      clientId = null;
    }
  }

  @Override
  public void close() {
    loop.close();
    if (connection != null) {
      connection.close();
    }
  }

  private static final class Subscription {
    final String metaKey;
    final ChangeListener listener;
    volatile String lastId;
    volatile String generation;
    volatile boolean checkGap;

    Subscription(String metaKey, ChangeListener listener, String lastId, String generation) {
      this.metaKey = metaKey;
      this.listener = listener;
      this.lastId = lastId;
      this.generation = generation;
    }
  }
}
