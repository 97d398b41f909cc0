package io.distcache.jcache.coherence;

import io.distcache.jcache.redis.RedisConnections;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the change logs of all namespaces of one CacheManager with blocking {@code XREAD} on a
 * dedicated connection, and hands each namespace's records to its listener (DESIGN.md §4).
 *
 * <p>It remembers the last record id per namespace, so after an error it resumes exactly where it
 * stopped: records written meanwhile are replayed, not lost.
 */
public final class ChangeLogFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeLogFollower.class);
  private static final long BLOCK_MILLIS = 200;
  private static final int BATCH = 1000;
  private static final Duration RETRY_DELAY = Duration.ofMillis(250);

  private final RedisConnections connections;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private StatefulRedisConnection<String, byte[]> connection;

  /** Starts the follower thread; it idles until a namespace is followed. */
  public ChangeLogFollower(RedisConnections connections, String name) {
    this.connections = connections;
    this.thread = new Thread(this::run, "distcache-follower-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Follows a change log from the record after {@code fromId}.
   *
   * @param logKey the stream key
   * @param fromId the id of the last record already reflected by the caller ({@code 0-0} for all)
   */
  public void follow(String logKey, String fromId, ChangeListener listener) {
    subscriptions.put(logKey, new Subscription(listener, fromId));
  }

  /** Stops following a change log. */
  public void unfollow(String logKey) {
    subscriptions.remove(logKey);
  }

  private void run() {
    boolean failing = false;
    while (running) {
      if (subscriptions.isEmpty()) {
        pause(Duration.ofMillis(BLOCK_MILLIS));
        continue;
      }
      try {
        readOnce();
        if (failing) {
          LOG.info("change-log follower reconnected to Redis at {}", connections.address());
          failing = false;
        }
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        if (!failing) {
          LOG.warn("change-log follower lost Redis at {} ({}); retrying every {} ms",
              connections.address(), e.getMessage(), RETRY_DELAY.toMillis());
          failing = true;
        }
        pause(RETRY_DELAY);
      }
    }
  }

  private void readOnce() {
    // A snapshot: a namespace re-followed meanwhile (cache destroyed and re-created) gets a new
    // Subscription, and records read for the old one must not reach it.
    Map<String, Subscription> snapshot = new LinkedHashMap<>(subscriptions);
    @SuppressWarnings("unchecked")
    XReadArgs.StreamOffset<String>[] offsets = snapshot.entrySet().stream()
        .map(entry -> XReadArgs.StreamOffset.from(entry.getKey(), entry.getValue().lastId))
        .toArray(XReadArgs.StreamOffset[]::new);
    List<StreamMessage<String, byte[]>> messages = connection().sync()
        .xread(XReadArgs.Builder.block(BLOCK_MILLIS).count(BATCH), offsets);
    if (messages == null || messages.isEmpty()) {
      return;
    }
    Map<String, List<ChangeRecord>> byStream = new LinkedHashMap<>();
    for (StreamMessage<String, byte[]> message : messages) {
      byStream.computeIfAbsent(message.getStream(), k -> new ArrayList<>()).add(toRecord(message));
      snapshot.get(message.getStream()).lastId = message.getId();
    }
    byStream.forEach((stream, records) -> {
      Subscription subscription = snapshot.get(stream);
      if (subscriptions.get(stream) == subscription) {
        deliver(stream, subscription, records);
      }
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
    }
    return connection;
  }

  private void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (connection != null) {
      connection.close();
    }
  }

  private static final class Subscription {
    final ChangeListener listener;
    volatile String lastId;

    Subscription(ChangeListener listener, String lastId) {
      this.listener = listener;
      this.lastId = lastId;
    }
  }
}
