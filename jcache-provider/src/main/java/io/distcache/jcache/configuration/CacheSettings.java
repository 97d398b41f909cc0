package io.distcache.jcache.configuration;

import io.distcache.protocol.settings.Quantities;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one cache after defaults are applied.
 *
 * <p>Built by {@link SettingsLoader} from {@code defaults.*} and {@code cache[<name>].*} keys, or by
 * {@link DistCacheConfiguration#resolve(CacheSettings)} for caches created at runtime.
 *
 * @param namespace the Redis namespace the cache reads and writes; {@code null} means "derive it
 *     from the cache name", which is the usual case
 * @param nearMaxItems the most entries the in-JVM near cache keeps; {@code 0} keeps none, so every
 *     read goes to Redis
 * @param nearMaxBytes the most serialized bytes the near cache keeps; {@code 0} keeps none
 * @param nearMaxTtl how long a near entry may live even without any invalidation, a safety net
 *     against a missed change-log entry; positive
 * @param readFrom which Redis nodes serve misses
 * @param codec the value codec; only {@code kryo} exists today
 * @param compressionThreshold serialized values of at least this many bytes are LZ4-compressed;
 *     {@code 0} compresses every value
 * @param commandTimeout how long one Redis command may take before the cache operation fails;
 *     positive
 * @param storeByValue JSR-107 store-by-value: the near cache hands out copies, not shared instances
 * @param statisticsEnabled whether JSR-107 statistics are collected
 * @param managementEnabled whether the JSR-107 configuration MXBean is registered
 * @param keyType the fully qualified key class name, {@code java.lang.Object} when unchecked
 * @param valueType the fully qualified value class name, {@code java.lang.Object} when unchecked
 * @param lease which operations take the per-key lease across CacheManagers (write-through caches
 *     always lease their writes)
 * @param near negative caching and preload
 */
public record CacheSettings(
    String namespace,
    long nearMaxItems,
    long nearMaxBytes,
    Duration nearMaxTtl,
    ReadFrom readFrom,
    String codec,
    int compressionThreshold,
    Duration commandTimeout,
    boolean storeByValue,
    boolean statisticsEnabled,
    boolean managementEnabled,
    String keyType,
    String valueType,
    LeaseScope lease,
    NearOptions near) {

  /** The only codec implemented; kept here so the loader and the defaults agree. */
  static final String KRYO = "kryo";

  private static final CacheSettings DEFAULTS = new CacheSettings(SettingsTable.NAMESPACE.defaultValue(),
      SettingsTable.NEAR_MAX_ITEMS.defaultValue(), SettingsTable.NEAR_MAX_BYTES.defaultValue(),
      SettingsTable.NEAR_MAX_TTL.defaultValue(), SettingsTable.READ_FROM.defaultValue(),
      SettingsTable.CODEC.defaultValue(), SettingsTable.COMPRESSION_THRESHOLD.defaultValue(),
      SettingsTable.COMMAND_TIMEOUT.defaultValue(), SettingsTable.STORE_BY_VALUE.defaultValue(),
      SettingsTable.STATISTICS.defaultValue(), SettingsTable.MANAGEMENT.defaultValue(),
      SettingsTable.KEY_TYPE.defaultValue(), SettingsTable.VALUE_TYPE.defaultValue(),
      SettingsTable.LEASE.defaultValue(), NearOptions.defaults());

  /**
   * Validates the components.
   *
   * @throws NullPointerException if a component other than {@code namespace} is {@code null}
   * @throws IllegalArgumentException if a size is negative, a duration not positive, or a name blank
   */
  public CacheSettings {
    if (namespace != null && namespace.isBlank()) {
      throw new IllegalArgumentException("namespace must be null (derived from the cache name) or non-blank");
    }
    requireNonNegative("nearMaxItems", nearMaxItems);
    requireNonNegative("nearMaxBytes", nearMaxBytes);
    Quantities.requirePositive("nearMaxTtl", nearMaxTtl);
    Objects.requireNonNull(readFrom, "readFrom");
    requireNonBlank("codec", codec);
    requireNonNegative("compressionThreshold", compressionThreshold);
    Quantities.requirePositive("commandTimeout", commandTimeout);
    requireNonBlank("keyType", keyType);
    requireNonBlank("valueType", valueType);
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(near, "near");
  }

  /**
   * The built-in defaults: near cache of 10000 items and 64 MiB with a 10 minute TTL, reads from
   * replicas preferred, Kryo with compression from 4096 bytes, 2 s command timeout, store-by-value,
   * statistics and management off, {@code java.lang.Object} keys and values, derived namespace, leases
   * for the writes of write-through caches only, misses remembered in producer namespaces, no preload.
   */
  public static CacheSettings defaults() {
    return DEFAULTS;
  }

  private static void requireNonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
  }

  private static void requireNonBlank(String name, String value) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
