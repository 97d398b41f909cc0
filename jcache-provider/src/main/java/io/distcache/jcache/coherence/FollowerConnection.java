package io.distcache.jcache.coherence;

import io.distcache.jcache.redis.RedisConnections;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.UnblockType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change-log follower's own connection, dedicated to its blocking reads, and the server-side id through which
 * another thread ends such a read at once ({@code CLIENT UNBLOCK}), so that a namespace just followed is read
 * without waiting for the read under way to time out.
 */
final class FollowerConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FollowerConnection.class);

  private final RedisConnections connections;
  private final Duration block;
  /** The follower thread's; {@link #close} may reach it from another. */
  private volatile StatefulRedisConnection<String, byte[]> connection;
  private volatile Long clientId;

  /**
   * Prepares the connection; it opens on first use.
   *
   * @param block how long the follower's reads block: how late a namespace is read when no unblock is possible
   */
  FollowerConnection(RedisConnections connections, Duration block) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.block = Objects.requireNonNull(block, "block");
  }

  /** The connection, opened anew when there is none or it closed (follower thread only). */
  StatefulRedisConnection<String, byte[]> current() {
    StatefulRedisConnection<String, byte[]> open = connection;
    if (open == null || !open.isOpen()) {
      open = connections.dedicated();
      connection = open;
      learnClientId(open);
    }
    return open;
  }

  /**
   * Reads the connection's server-side id again: a reconnect gives it a new one. {@code null} when an ACL denies
   * {@code CLIENT ID}: then new namespaces are picked up within one blocking read instead of at once.
   */
  void learnClientId() {
    learnClientId(current());
  }

  private void learnClientId(StatefulRedisConnection<String, byte[]> open) {
    try {
      clientId = open.sync().clientId();
    } catch (RedisCommandExecutionException e) {
      LOG.debug("CLIENT ID refused on Redis at {} ({}); new caches are followed within {} ms",
          connections.address(), e.getMessage(), block.toMillis());
      clientId = null;
    }
  }

  /** Ends the follower's blocking read, if one is under way and its connection's id is known. */
  void unblock() {
    Long blockedClient = clientId;
    if (blockedClient == null) {
      return;
    }
    try {
      connections.bookkeepingNode().clientUnblock(blockedClient, UnblockType.TIMEOUT);
    } catch (RuntimeException e) {
      LOG.debug("could not wake the change-log follower; it picks the namespace up within {} ms", block.toMillis(),
          e);
    }
  }

  /**
   * Closes the connection after a failure, so the next attempt connects anew: through Sentinel to the current
   * master, on a cluster to the node now serving the change logs' slot.
   */
  void drop() {
    StatefulRedisConnection<String, byte[]> open = connection;
    if (open != null) {
      open.closeAsync();
      connection = null;
      clientId = null;
    }
  }

  @Override
  public void close() {
    StatefulRedisConnection<String, byte[]> open = connection;
    if (open != null) {
      open.close();
    }
  }
}
