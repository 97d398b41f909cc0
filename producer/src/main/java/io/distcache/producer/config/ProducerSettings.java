package io.distcache.producer.config;

import io.distcache.producer.projection.ProjectionSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything a producer process needs, as read from its configuration file by {@link SettingsFile}.
 *
 * @param kafka client settings passed to the Kafka consumer and dead-letter producer (the {@code kafka.}
 *     prefix removed), including SASL/SSL settings
 * @param redisUri the Redis master, {@code redis://} or {@code rediss://}, credentials allowed; with
 *     {@code redisCluster}, any one node of the cluster (a seed)
 * @param redisCluster whether {@code redisUri} names a node of a Redis Cluster
 * @param clusterReplicaAcks on a cluster, how many replicas of each master must hold a batch's entries
 *     before its offsets move; 0 does not wait
 * @param keyPrefix the prefix of every Redis key of the deployment; must match the edges' {@code redis.key-prefix}
 * @param httpPort the port of {@code /metrics} and {@code /health}; 0 picks a free one, -1 disables the server
 * @param logMaxLength the approximate cap of each namespace's change log
 * @param compressionThreshold values of at least this many encoded bytes are LZ4-compressed; 0 never
 * @param pluginPath jars or directories searched for {@code Projection} plugins
 * @param projections the projections this process runs, in file order
 */
public record ProducerSettings(
    Map<String, String> kafka,
    String redisUri,
    boolean redisCluster,
    int clusterReplicaAcks,
    String keyPrefix,
    int httpPort,
    long logMaxLength,
    int compressionThreshold,
    List<Path> pluginPath,
    List<ProjectionSettings> projections) {

  private static final Pattern PASSWORD_IN_URI = Pattern.compile("(://[^:@/]*:)[^@/]*@");
  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|jaas|token|key\\.pem|credentials).*");

  /** Copies the collections. */
  public ProducerSettings {
    kafka = Map.copyOf(kafka);
    Objects.requireNonNull(redisUri, "redisUri");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    pluginPath = List.copyOf(pluginPath);
    projections = List.copyOf(projections);
  }

  /** The Redis URI with any password replaced by {@code ***}, for logs and messages. */
  public String redisAddress() {
    return maskUri(redisUri);
  }

  /** Replaces the password of a URI's user info with {@code ***}. */
  public static String maskUri(String uri) {
    return PASSWORD_IN_URI.matcher(uri).replaceAll("$1***@");
  }

  /** Settings without secrets: Kafka values whose key names a password, secret, JAAS config or token are masked. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    kafka.forEach((key, value) -> shown.put(key, SECRET_KEY.matcher(key).matches() ? "***" : value));
    return "ProducerSettings[kafka=" + shown + ", redis=" + redisAddress() + (redisCluster ? " (cluster)" : "")
        + ", keyPrefix=" + keyPrefix
        + ", httpPort=" + httpPort + ", projections=" + projections.stream().map(ProjectionSettings::name).toList() + "]";
  }
}
