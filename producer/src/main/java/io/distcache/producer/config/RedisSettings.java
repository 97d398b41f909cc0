package io.distcache.producer.config;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how the producer reaches Redis, from the {@code redis.*} keys.
 *
 * @param uri {@code redis://} or {@code rediss://} (one master), {@code redis-sentinel://} (Sentinel nodes and
 *     {@code #master-id}), or with {@code cluster} the seed nodes of a Redis Cluster; credentials allowed
 * @param cluster whether {@code uri} names nodes of a Redis Cluster
 * @param replicaAcks on a cluster, how many replicas of each master must hold a batch's entries before its
 *     offsets move; 0 does not wait
 * @param trustStore a JKS or PKCS12 trust store for {@code rediss://}, or {@code null} for the JVM's
 * @param trustStorePassword its password, or {@code null}
 * @param connectTimeout how long a connection attempt may take
 * @param commandTimeout how long a command may wait for its reply before the batch counts as failed
 * @param allowAllkeysEviction whether a Redis with an {@code allkeys-*} {@code maxmemory-policy} is accepted
 */
public record RedisSettings(String uri, boolean cluster, int replicaAcks, String trustStore, String trustStorePassword,
    Duration connectTimeout, Duration commandTimeout, boolean allowAllkeysEviction) {

  /** The default {@code redis.connect-timeout}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = ProducerSettingsTable.REDIS_CONNECT_TIMEOUT.defaultValue();
  /** The default {@code redis.command-timeout}. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = ProducerSettingsTable.REDIS_COMMAND_TIMEOUT.defaultValue();
  private static final Pattern PASSWORD_IN_URI = Pattern.compile("(://[^:@/]*:)[^@/]*@");

  /** Checks the components. */
  public RedisSettings {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    if (replicaAcks < 0) {
      throw new IllegalArgumentException("replicaAcks must be >= 0, got " + replicaAcks);
    }
  }

  /** A standalone or Sentinel-managed master with every default, as tests and tools use it. */
  public static RedisSettings of(String uri) {
    return new RedisSettings(uri, false, 0, null, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_COMMAND_TIMEOUT, false);
  }

  /** A Redis Cluster with every default but the replica acknowledgements. */
  public static RedisSettings cluster(String seeds, int replicaAcks) {
    return new RedisSettings(seeds, true, replicaAcks, null, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_COMMAND_TIMEOUT,
        false);
  }

  /** Whether the URI names Sentinel nodes. */
  public boolean sentinel() {
    return uri.startsWith("redis-sentinel://") || uri.startsWith("rediss-sentinel://");
  }

  /** The URI with any password replaced by {@code ***}, for logs and messages. */
  public String address() {
    return maskUri(uri);
  }

  /** Replaces the password of a URI's user info with {@code ***}. */
  public static String maskUri(String uri) {
    return PASSWORD_IN_URI.matcher(uri).replaceAll("$1***@");
  }

  /** No password, no trust store password. */
  @Override
  public String toString() {
    return address() + (cluster ? " (cluster)" : sentinel() ? " (sentinel)" : "")
        + (trustStore == null ? "" : ", trust store " + trustStore);
  }
}
