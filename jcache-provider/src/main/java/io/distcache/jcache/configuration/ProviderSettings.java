package io.distcache.jcache.configuration;

import io.distcache.protocol.codec.CodecFormat;
import io.distcache.protocol.codec.CodecLimits;
import io.distcache.protocol.settings.Quantities;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of one CacheManager, as resolved by {@link SettingsLoader}.
 *
 * <p>{@link #toString()} masks the passwords in the Redis URIs and the trust store password, so an
 * instance may be logged; the accessors return them in clear because the connection needs them.
 *
 * @param source where the settings came from, for messages, e.g. {@code classpath:distcache.properties}
 * @param redisUri the Redis URI as given ({@code redis://}, {@code rediss://} or
 *     {@code redis-sentinel://}), password included; display it with {@link #redisUriForDisplay()}
 * @param cluster whether {@code redisUri} is a seed node of a Redis Cluster (entries spread over its
 *     masters' slots; see docs/operations.md, "Topologies")
 * @param replicaUris explicit replica node URIs; empty means "discover the master's replicas"
 * @param keyPrefix the prefix of every Redis key of the deployment
 * @param connectTimeout how long establishing a Redis connection may take; positive
 * @param changeLogMaxLength the approximate cap ({@code XADD MAXLEN ~}) of each namespace's change log; positive
 * @param allowedPackages packages whose classes the codec may instantiate, besides JDK value types
 * @param allowedClasses classes the codec may instantiate, besides JDK value types
 * @param onUndecodable what a read does with a stored value that cannot be decoded
 * @param codecLimits how deep values may nest and how large they may decompress to
 * @param codecFormat how values' fields are written: by name (compatible across class versions) or by position
 * @param trustStore path of the trust store with the CA of a {@code rediss://} server, or {@code null}
 *     for the JVM's default trust
 * @param trustStorePassword the trust store's password, or {@code null}
 * @param outage the circuit breaker's settings
 * @param contention how caches take turns on a contended key: leases, retries, backoff
 * @param trackedNamespaces namespaces written by tools that do not append to the change log; their
 *     caches are invalidated through Redis client tracking instead
 * @param defaults the settings of caches that are not declared (created at runtime)
 * @param caches the caches declared in the configuration, by cache name, in declaration order; they
 *     must exist as soon as the CacheManager starts
 */
public record ProviderSettings(
    String source,
    String redisUri,
    boolean cluster,
    List<String> replicaUris,
    String keyPrefix,
    Duration connectTimeout,
    long changeLogMaxLength,
    List<String> allowedPackages,
    List<String> allowedClasses,
    OnUndecodable onUndecodable,
    CodecLimits codecLimits,
    CodecFormat codecFormat,
    String trustStore,
    String trustStorePassword,
    OutageSettings outage,
    ContentionSettings contention,
    List<String> trackedNamespaces,
    CacheSettings defaults,
    Map<String, CacheSettings> caches) {

  private static final ProviderSettings BUILT_IN = new ProviderSettings("built-in defaults",
      SettingsTable.REDIS_URI.defaultValue(), SettingsTable.REDIS_CLUSTER.defaultValue(),
      SettingsTable.REDIS_REPLICAS.defaultValue(), SettingsTable.REDIS_KEY_PREFIX.defaultValue(),
      SettingsTable.REDIS_CONNECT_TIMEOUT.defaultValue(), SettingsTable.CHANGE_LOG_MAX_LENGTH.defaultValue(),
      SettingsTable.CODEC_ALLOWED_PACKAGES.defaultValue(), SettingsTable.CODEC_ALLOWED_CLASSES.defaultValue(),
      SettingsTable.CODEC_ON_UNDECODABLE.defaultValue(),
      new CodecLimits(SettingsTable.CODEC_MAX_DEPTH.defaultValue(), SettingsTable.CODEC_MAX_DECODED_SIZE.defaultValue()),
      SettingsTable.CODEC_FORMAT.defaultValue(), SettingsTable.REDIS_TRUST_STORE.defaultValue(),
      SettingsTable.REDIS_TRUST_STORE_PASSWORD.defaultValue(), OutageSettings.defaults(), ContentionSettings.defaults(),
      SettingsTable.TRACKING_NAMESPACES.defaultValue(), CacheSettings.defaults(), Map.of());

  /**
   * Validates the components and takes immutable copies of the collections.
   *
   * @throws NullPointerException if a component other than the trust store ones is {@code null}
   * @throws IllegalArgumentException if {@code connectTimeout} or {@code changeLogMaxLength} is not positive
   */
  public ProviderSettings {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(redisUri, "redisUri");
    replicaUris = List.copyOf(replicaUris);
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Quantities.requirePositive("connectTimeout", connectTimeout);
    if (changeLogMaxLength <= 0) {
      throw new IllegalArgumentException("changeLogMaxLength must be positive, was " + changeLogMaxLength);
    }
    allowedPackages = List.copyOf(allowedPackages);
    allowedClasses = List.copyOf(allowedClasses);
    Objects.requireNonNull(onUndecodable, "onUndecodable");
    Objects.requireNonNull(codecLimits, "codecLimits");
    Objects.requireNonNull(codecFormat, "codecFormat");
    Objects.requireNonNull(outage, "outage");
    Objects.requireNonNull(contention, "contention");
    trackedNamespaces = List.copyOf(trackedNamespaces);
    Objects.requireNonNull(defaults, "defaults");
    // Map.copyOf would lose the declaration order, which decides the order caches are created in.
    Map<String, CacheSettings> declared = new LinkedHashMap<>();
    caches.forEach((name, settings) -> declared.put(Objects.requireNonNull(name, "cache name"),
        Objects.requireNonNull(settings, "settings of cache " + name)));
    caches = Collections.unmodifiableMap(declared);
  }

  /**
   * The built-in settings, used where no configuration source sets anything: {@code redis://127.0.0.1:6379},
   * replicas discovered, key prefix {@code dc}, 2 s connect timeout, change logs capped at about 100000
   * entries, no extra codec classes, the JVM's default TLS trust, {@link CacheSettings#defaults()} and no
   * declared cache.
   */
  public static ProviderSettings builtIn() {
    return BUILT_IN;
  }

  /** The settings of a cache: its declared settings, else {@link #defaults()} of this manager. */
  public CacheSettings forCache(String cacheName) {
    return caches.getOrDefault(cacheName, defaults);
  }

  /**
   * The nodes to connect to first: the one node of {@link #redisUri()}, or on a cluster each seed
   * node it lists ({@code redis://pw@h1:7000,h2:7001} gives two URIs with the same credentials).
   */
  public List<String> seedUris() {
    return cluster ? RedisUris.clusterSeeds(redisUri) : List.of(redisUri);
  }

  /** {@link #redisUri()} with its password replaced by {@code ***}, for logs and messages. */
  public String redisUriForDisplay() {
    return RedisUris.mask(redisUri);
  }

  /** All components, with every password replaced by {@code ***}. */
  @Override
  public String toString() {
    return "ProviderSettings[source=" + source
        + ", redisUri=" + redisUriForDisplay()
        + ", cluster=" + cluster
        + ", replicaUris=" + replicaUris.stream().map(RedisUris::mask).toList()
        + ", keyPrefix=" + keyPrefix
        + ", connectTimeout=" + connectTimeout
        + ", changeLogMaxLength=" + changeLogMaxLength
        + ", allowedPackages=" + allowedPackages
        + ", allowedClasses=" + allowedClasses
        + ", onUndecodable=" + onUndecodable
        + ", codecLimits=" + codecLimits
        + ", codecFormat=" + codecFormat
        + ", trustStore=" + trustStore
        + ", trustStorePassword=" + (trustStorePassword == null ? null : RedisUris.MASK)
        + ", outage=" + outage
        + ", contention=" + contention
        + ", trackedNamespaces=" + trackedNamespaces
        + ", defaults=" + defaults
        + ", caches=" + caches + "]";
  }
}
