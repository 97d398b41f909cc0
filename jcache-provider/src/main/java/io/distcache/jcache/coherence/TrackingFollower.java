package io.distcache.jcache.coherence;

import io.distcache.jcache.redis.RedisConnections;
import io.distcache.protocol.sabotage.Sabotage;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invalidates near caches of namespaces whose writers do not append to the change log, through
 * Redis client tracking ({@code CLIENT TRACKING ON BCAST PREFIX <namespace>}) on a RESP3
 * connection of its own (docs/design.md §4, "foreign writers"). On Redis Cluster each master reports
 * only its own slots' keys, so there is one connection per master, and the set of masters is
 * re-read every few seconds to follow failovers and resharding.
 *
 * <p>Tracking is off after every reconnect and invalidations sent meanwhile are lost, so each time
 * the connection comes back (and whenever the set of prefixes changes) it re-enables tracking and
 * then flushes the tracked near caches. An {@code invalidate} push with no keys (FLUSHALL, a full
 * resync) flushes them too.
 */
public final class TrackingFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TrackingFollower.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long TOPOLOGY_CHECK_MILLIS = 5000;

  private final RedisConnections connections;
  /** The listeners per tracked prefix: every cache over a namespace gets its invalidations. */
  private final Map<String, List<ChangeListener>> byPrefix = new ConcurrentHashMap<>();
  private final BackgroundLoop loop;
  /** The tracking connection per node; touched by the loop thread only, and by {@link #close()}. */
  private final Map<RedisURI, NodeTracking> nodes = new HashMap<>();
  private volatile boolean prefixesChanged;
  private long nextTopologyCheck;

  /** Starts the thread that keeps tracking enabled; it idles until a namespace is tracked. */
  public TrackingFollower(RedisConnections connections, String name) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.loop = new BackgroundLoop("distcache-tracking-" + Objects.requireNonNull(name, "name"), this::step);
    loop.start();
  }

  /**
   * Tracks every key below {@code entryPrefix} (a namespace's entry keys) for {@code listener}.
   * Invalidations arrive as records with {@link ChangeRecord#UNKNOWN_VERSION}.
   */
  public void track(String entryPrefix, ChangeListener listener) {
    byPrefix.compute(entryPrefix, (prefix, listeners) -> {
      List<ChangeListener> updated = listeners == null ? new CopyOnWriteArrayList<>() : listeners;
      updated.add(listener);
      return updated;
    });
    prefixesChanged = true;
    loop.wake();
  }

  /** Stops tracking a prefix for {@code listener}; the prefix stays tracked while other listeners need it. */
  public void untrack(String entryPrefix, ChangeListener listener) {
    byPrefix.computeIfPresent(entryPrefix, (prefix, listeners) -> {
      listeners.remove(listener);
      return listeners.isEmpty() ? null : listeners;
    });
    if (!byPrefix.containsKey(entryPrefix)) {
      prefixesChanged = true;
    }
  }

  private void resetAll(FlushCause cause, String reason) {
    byPrefix.forEach((prefix, listeners) -> listeners.forEach(listener -> tell(prefix, listener,
        () -> listener.onReset(cause, reason))));
  }

  /** Runs one listener's callback; a listener that throws must not cost the others their invalidations. */
  private static void tell(String prefix, ChangeListener listener, Runnable callback) {
    try {
      callback.run();
    } catch (Throwable e) {
      LOG.error("a near cache of {} failed to apply a client-tracking invalidation; flushing it", prefix, e);
      try {
        listener.onReset(FlushCause.APPLY_FAILURE, "applying a client-tracking invalidation failed");
      } catch (Throwable again) {
        LOG.error("flushing a near cache of {} failed too", prefix, again);
      }
    }
  }

  private void step() {
    if (!byPrefix.isEmpty()) {
      try {
        followTopology();
        enableWhereNeeded();
      } catch (RuntimeException e) {
        LOG.debug("enabling client tracking on Redis at {} failed; retrying", connections.address(), e);
      }
    }
    loop.pause(POLL);
  }

  private void followTopology() {
    long now = System.currentTimeMillis();
    if (now < nextTopologyCheck && !nodes.isEmpty()) {
      return;
    }
    nextTopologyCheck = now + TOPOLOGY_CHECK_MILLIS;
    List<RedisURI> current = connections.trackedNodes();
    for (RedisURI node : new HashSet<>(nodes.keySet())) {
      if (!current.contains(node)) {
        nodes.remove(node).connection.closeAsync();
      }
    }
    for (RedisURI node : current) {
      nodes.computeIfAbsent(node, NodeTracking::new);
    }
  }

  private void enableWhereNeeded() {
    boolean all = prefixesChanged;
    prefixesChanged = false;
    List<String> prefixes = new ArrayList<>(byPrefix.keySet());
    boolean enabledAny = false;
    try {
      for (NodeTracking node : nodes.values()) {
        if (all || (node.needsEnabling && !Sabotage.TRACKING_NEVER_REENABLED.isActive())) {
          enabledAny = true;
          node.enable(prefixes);
        }
      }
    } catch (RuntimeException e) {
      prefixesChanged |= all;
      throw e;
    } finally {
      if (enabledAny) {
        // Invalidations sent before tracking was (re-)enabled are lost: start over.
        resetAll(FlushCause.TRACKING_RESTARTED, "client tracking was (re-)enabled");
      }
    }
  }

  private void onPush(PushMessage message) {
    if (!"invalidate".equals(message.getType())) {
      return;
    }
    List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
    Object keys = content.size() > 1 ? content.get(1) : null;
    if (!(keys instanceof List<?> invalidated)) {
      resetAll(FlushCause.DATA_LOSS, "Redis flushed the tracked keys");
      return;
    }
    for (Object key : invalidated) {
      String redisKey = String.valueOf(key);
      byPrefix.forEach((prefix, listeners) -> {
        if (redisKey.startsWith(prefix)) {
          List<ChangeRecord> change = List.of(new ChangeRecord(redisKey.substring(prefix.length()),
              ChangeRecord.UNKNOWN_VERSION));
          listeners.forEach(listener -> tell(prefix, listener, () -> listener.onChanges(change)));
        }
      });
    }
  }

  @Override
  public void close() {
    loop.close();
    nodes.values().forEach(node -> node.connection.close());
  }

  /** The tracking connection to one node; tracking is off again after each of its reconnects. */
  private final class NodeTracking {

    final RedisURI node;
    final StatefulRedisConnection<String, byte[]> connection;
    volatile boolean needsEnabling = true;

    NodeTracking(RedisURI node) {
      this.node = node;
      this.connection = connections.tracking(node, new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> channel) {
          needsEnabling = true;
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> channel, SocketAddress address) {
          needsEnabling = true;
        }
      });
      connection.addListener(TrackingFollower.this::onPush);
    }

    void enable(List<String> prefixes) {
      needsEnabling = false;
      try {
        connection.sync().clientTracking(TrackingArgs.Builder.enabled(false));
        connection.sync().clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes(prefixes.toArray(String[]::new)));
      } catch (RuntimeException e) {
        needsEnabling = true;
        throw e;
      }
      LOG.debug("client tracking enabled on Redis node {}:{} for {}", node.getHost(), node.getPort(), prefixes);
    }
  }
}
