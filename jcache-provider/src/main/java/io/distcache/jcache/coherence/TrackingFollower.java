package io.distcache.jcache.coherence;

import io.distcache.jcache.redis.RedisConnections;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invalidates near caches of namespaces whose writers do not append to the change log, through
 * Redis client tracking ({@code CLIENT TRACKING ON BCAST PREFIX <namespace>}) on a RESP3
 * connection of its own (DESIGN.md §4, "foreign writers").
 *
 * <p>Tracking is off after every reconnect and invalidations sent meanwhile are lost, so each time
 * the connection comes back (and whenever the set of prefixes changes) it re-enables tracking and
 * then flushes the tracked near caches. An {@code invalidate} push with no keys (FLUSHALL, a full
 * resync) flushes them too.
 */
public final class TrackingFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TrackingFollower.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final RedisConnections connections;
  private final Map<String, ChangeListener> byPrefix = new ConcurrentHashMap<>();
  private final BackgroundLoop loop;
  private volatile boolean needsEnabling;
  private StatefulRedisConnection<String, byte[]> connection;

  /** Starts the thread that keeps tracking enabled; it idles until a namespace is tracked. */
  public TrackingFollower(RedisConnections connections, String name) {
    this.connections = connections;
    this.loop = new BackgroundLoop("distcache-tracking-" + name, this::step);
    loop.start();
  }

  /**
   * Tracks every key below {@code entryPrefix} (a namespace's entry keys) for {@code listener}.
   * Invalidations arrive as records with {@link ChangeRecord#UNKNOWN_VERSION}.
   */
  public void track(String entryPrefix, ChangeListener listener) {
    byPrefix.put(entryPrefix, listener);
    needsEnabling = true;
    loop.wake();
  }

  /** Stops tracking a prefix. */
  public void untrack(String entryPrefix) {
    if (byPrefix.remove(entryPrefix) != null) {
      needsEnabling = true;
    }
  }

  private void step() {
    if (needsEnabling && !byPrefix.isEmpty()) {
      try {
        enable();
      } catch (RuntimeException e) {
        LOG.debug("enabling client tracking on Redis at {} failed; retrying", connections.address(), e);
      }
    }
    loop.pause(POLL);
  }

  private void enable() {
    needsEnabling = false;
    StatefulRedisConnection<String, byte[]> current = connection();
    List<String> prefixes = new ArrayList<>(byPrefix.keySet());
    current.sync().clientTracking(TrackingArgs.Builder.enabled(false));
    current.sync().clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes(prefixes.toArray(String[]::new)));
    LOG.debug("client tracking enabled on Redis at {} for {}", connections.address(), prefixes);
    // Invalidations sent before tracking was (re-)enabled are lost: start over.
    byPrefix.values().forEach(listener -> listener.onReset("client tracking was (re-)enabled"));
  }

  private StatefulRedisConnection<String, byte[]> connection() {
    if (connection == null) {
      connection = connections.tracking(new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> channel) {
          needsEnabling = true;
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> channel, SocketAddress address) {
          needsEnabling = true;
        }
      });
      connection.addListener(this::onPush);
    }
    return connection;
  }

  private void onPush(PushMessage message) {
    if (!"invalidate".equals(message.getType())) {
      return;
    }
    List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
    Object keys = content.size() > 1 ? content.get(1) : null;
    if (!(keys instanceof List<?> invalidated)) {
      byPrefix.values().forEach(listener -> listener.onReset("Redis flushed the tracked keys"));
      return;
    }
    for (Object key : invalidated) {
      String redisKey = String.valueOf(key);
      byPrefix.forEach((prefix, listener) -> {
        if (redisKey.startsWith(prefix)) {
          listener.onChanges(List.of(new ChangeRecord(redisKey.substring(prefix.length()),
              ChangeRecord.UNKNOWN_VERSION)));
        }
      });
    }
  }

  @Override
  public void close() {
    loop.close();
    if (connection != null) {
      connection.close();
    }
  }
}
