package io.distcache.producer.sink;

import io.distcache.protocol.namespace.Namespace;
import io.distcache.protocol.script.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A namespace sink's connection to Redis: opened on first use, and every wait for a reply bounded by the command
 * timeout, its failure a {@link SinkUnavailableException} that names the namespace and the server.
 */
final class SinkConnection {

  private final RedisTarget target;
  private final Namespace namespace;
  private final long timeoutMillis;
  private RedisTarget.Link link;

  SinkConnection(RedisTarget target, Namespace namespace) {
    this.target = Objects.requireNonNull(target, "target");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.timeoutMillis = target.commandTimeout().toMillis();
  }

  /** Runs a script by its SHA, by its source when the server lost its script cache ({@link LuaScript#run}). */
  <T> T script(LuaScript script, ScriptOutputType type, String[] keys, byte[][] values) {
    return await(script.run(commands(), type, keys, values), script.name());
  }

  /** Waits for a reply for at most the command timeout. */
  <T> T await(Future<T> future, String command) {
    return await(future, command, timeoutMillis);
  }

  /**
   * Waits for a reply.
   *
   * @throws SinkUnavailableException when it does not come in time, or is an error
   */
  <T> T await(Future<T> future, String command, long timeoutMillis) {
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

  /** The commands of the connection, which opens on first use and again after a failed connect. */
  RedisClusterAsyncCommands<String, byte[]> commands() {
    if (link == null) {
      link = target.connect("namespace " + namespace);
    }
    return link.commands();
  }

  /** The connection's commands for a transaction ({@code MULTI}/{@code EXEC}): standalone and Sentinel only. */
  @SuppressWarnings("unchecked")
  RedisAsyncCommands<String, byte[]> transactional() {
    commands();
    return ((StatefulRedisConnection<String, byte[]>) link.connection()).async();
  }

  /** The cluster connection, for batches that address nodes themselves. */
  StatefulRedisClusterConnection<String, byte[]> cluster() {
    commands();
    return link.cluster();
  }

  /** Closes the connection; a later command opens a new one. */
  void close() {
    if (link != null) {
      link.connection().close();
      link = null;
    }
  }
}
