package io.distcache.producer.config;

import io.distcache.producer.projection.ProjectionSettings;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param redis where and how Redis is reached
 * @param keyPrefix the prefix of every Redis key of the deployment; must match the edges' {@code redis.key-prefix}
 * @param httpPort the port of {@code /metrics} and {@code /health}; 0 picks a free one, -1 disables the server
 * @param httpBindAddress the address the HTTP server binds, {@code 0.0.0.0} for every interface
 * @param logMaxLength the approximate cap of each namespace's change log
 * @param compressionThreshold values of at least this many encoded bytes are LZ4-compressed; 0 never
 * @param pluginPath jars or directories searched for {@code Projection} plugins
 * @param claimTime how long an instance's claim on a namespace holds unless renewed; a standby takes over
 *     after it
 * @param projections the projections this process runs, in file order
 */
public record ProducerSettings(
    Map<String, String> kafka,
    RedisSettings redis,
    String keyPrefix,
    int httpPort,
    String httpBindAddress,
    long logMaxLength,
    int compressionThreshold,
    List<Path> pluginPath,
    Duration claimTime,
    List<ProjectionSettings> projections) {

  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|jaas|token|key\\.pem|credentials).*");

  /** Copies the collections. */
  public ProducerSettings {
    kafka = Map.copyOf(kafka);
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(httpBindAddress, "httpBindAddress");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(claimTime, "claimTime");
    pluginPath = List.copyOf(pluginPath);
    projections = List.copyOf(projections);
  }

  /** Settings without secrets: Kafka values whose key names a password, secret, JAAS config or token are masked. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    kafka.forEach((key, value) -> shown.put(key, SECRET_KEY.matcher(key).matches() ? "***" : value));
    return "ProducerSettings[kafka=" + shown + ", redis=" + redis + ", keyPrefix=" + keyPrefix + ", http="
        + httpBindAddress + ":" + httpPort + ", projections=" + projections.stream().map(ProjectionSettings::name).toList()
        + "]";
  }
}
