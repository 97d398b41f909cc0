package io.distcache.jcache.configuration;

import io.distcache.protocol.settings.Quantities;
import java.time.Duration;
import java.util.Objects;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * A JSR-107 configuration with distcache's per-cache settings, for
 * {@code CacheManager.createCache(name, configuration)}.
 *
 * <pre>{@code
 * cacheManager.createCache("users", new DistCacheConfiguration<String, User>()
 *     .setTypes(String.class, User.class)
 *     .setNearMaxItems(50_000)
 *     .setNearMaxTtl(Duration.ofMinutes(5)));
 * }</pre>
 *
 * <p>Every distcache setting is optional: one left unset ({@code null}) takes the manager's value
 * ({@code defaults.*} keys, else the built-in default) when the cache is created, see
 * {@link #resolve(CacheSettings)}. The JSR-107 setters are overridden only to return this type, so
 * calls chain in any order. Like {@link MutableConfiguration}, instances are mutable and not
 * thread-safe; a cache keeps its own copy.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class DistCacheConfiguration<K, V> extends MutableConfiguration<K, V> {

  private static final long serialVersionUID = 1L;

  private String namespace;
  private Long nearMaxItems;
  private Long nearMaxBytes;
  private Duration nearMaxTtl;
  private ReadFrom readFrom;
  private Integer compressionThreshold;
  private Duration commandTimeout;
  private LeaseScope lease;
  private NearOptions nearOptions;

  /** A configuration with JSR-107 defaults and no distcache setting set. */
  public DistCacheConfiguration() {
  }

  /**
   * Copies a configuration: its JSR-107 part as {@link MutableConfiguration#MutableConfiguration(CompleteConfiguration)}
   * does, and its distcache settings when it is a {@code DistCacheConfiguration}.
   *
   * @param configuration the configuration to copy
   */
  public DistCacheConfiguration(CompleteConfiguration<K, V> configuration) {
    super(configuration);
    if (configuration instanceof DistCacheConfiguration<K, V> other) {
      namespace = other.namespace;
      nearMaxItems = other.nearMaxItems;
      nearMaxBytes = other.nearMaxBytes;
      nearMaxTtl = other.nearMaxTtl;
      readFrom = other.readFrom;
      compressionThreshold = other.compressionThreshold;
      commandTimeout = other.commandTimeout;
      lease = other.lease;
      nearOptions = other.nearOptions;
    }
  }

  /**
   * The settings a cache created with this configuration gets.
   *
   * @param base the manager's settings for the cache ({@link ProviderSettings#forCache(String)})
   * @return {@code base} overlaid with every distcache setting set here and, always, the JSR-107
   *     store-by-value, statistics, management flags and key/value types of this configuration
   *     (JSR-107 requires a cache to report the configuration it was created with)
   */
  public CacheSettings resolve(CacheSettings base) {
    return new CacheSettings(
        namespace != null ? namespace : base.namespace(),
        nearMaxItems != null ? nearMaxItems : base.nearMaxItems(),
        nearMaxBytes != null ? nearMaxBytes : base.nearMaxBytes(),
        nearMaxTtl != null ? nearMaxTtl : base.nearMaxTtl(),
        readFrom != null ? readFrom : base.readFrom(),
        base.codec(),
        compressionThreshold != null ? compressionThreshold : base.compressionThreshold(),
        commandTimeout != null ? commandTimeout : base.commandTimeout(),
        isStoreByValue(),
        isStatisticsEnabled(),
        isManagementEnabled(),
        getKeyType().getName(),
        getValueType().getName(),
        lease != null ? lease : base.lease(),
        nearOptions != null ? nearOptions : base.near());
  }

  /** Negative caching and preload, or {@code null} for the manager's. */
  public NearOptions getNearOptions() {
    return nearOptions;
  }

  /**
   * Sets negative caching and preload for the cache.
   *
   * @param nearOptions the options, or {@code null} for the manager's
   */
  public DistCacheConfiguration<K, V> setNearOptions(NearOptions nearOptions) {
    this.nearOptions = nearOptions;
    return this;
  }

  /** The namespace, or {@code null} to derive it from the cache name. */
  public String getNamespace() {
    return namespace;
  }

  /**
   * Sets the Redis namespace, e.g. one a producer fills under a name other than the cache's.
   *
   * @param namespace letters, digits and {@code . _ - %}; {@code null} derives it from the cache name
   * @throws IllegalArgumentException if the name holds other characters
   */
  public DistCacheConfiguration<K, V> setNamespace(String namespace) {
    try {
      this.namespace = namespace == null ? null : ValueParsers.namespace(namespace);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("namespace '" + namespace + "': " + e.getMessage(), e);
    }
    return this;
  }

  /** The most entries of the near cache, or {@code null} for the manager's value. */
  public Long getNearMaxItems() {
    return nearMaxItems;
  }

  /**
   * Sets the most entries the near cache keeps.
   *
   * @param nearMaxItems {@code >= 0}; {@code 0} keeps nothing near, every read goes to Redis
   * @throws IllegalArgumentException if negative
   */
  public DistCacheConfiguration<K, V> setNearMaxItems(long nearMaxItems) {
    this.nearMaxItems = requireNonNegative("nearMaxItems", nearMaxItems);
    return this;
  }

  /** The most serialized bytes of the near cache, or {@code null} for the manager's value. */
  public Long getNearMaxBytes() {
    return nearMaxBytes;
  }

  /**
   * Sets the most serialized bytes the near cache keeps.
   *
   * @param nearMaxBytes {@code >= 0}
   * @throws IllegalArgumentException if negative
   */
  public DistCacheConfiguration<K, V> setNearMaxBytes(long nearMaxBytes) {
    this.nearMaxBytes = requireNonNegative("nearMaxBytes", nearMaxBytes);
    return this;
  }

  /** The longest life of a near entry, or {@code null} for the manager's value. */
  public Duration getNearMaxTtl() {
    return nearMaxTtl;
  }

  /**
   * Sets how long a near entry may live without any invalidation.
   *
   * @param nearMaxTtl positive, or {@code null} for the manager's value
   * @throws IllegalArgumentException if zero or negative
   */
  public DistCacheConfiguration<K, V> setNearMaxTtl(Duration nearMaxTtl) {
    this.nearMaxTtl = requirePositiveOrNull("nearMaxTtl", nearMaxTtl);
    return this;
  }

  /** Which nodes serve misses, or {@code null} for the manager's value. */
  public ReadFrom getReadFrom() {
    return readFrom;
  }

  /**
   * Sets which Redis nodes serve misses.
   *
   * @param readFrom the nodes, or {@code null} for the manager's value
   */
  public DistCacheConfiguration<K, V> setReadFrom(ReadFrom readFrom) {
    this.readFrom = readFrom;
    return this;
  }

  /** The size from which values are compressed, or {@code null} for the manager's value. */
  public Integer getCompressionThreshold() {
    return compressionThreshold;
  }

  /**
   * Sets the serialized size from which values are LZ4-compressed.
   *
   * @param compressionThreshold bytes, {@code >= 0}; {@code 0} compresses every value
   * @throws IllegalArgumentException if negative
   */
  public DistCacheConfiguration<K, V> setCompressionThreshold(int compressionThreshold) {
    this.compressionThreshold = (int) requireNonNegative("compressionThreshold", compressionThreshold);
    return this;
  }

  /** The Redis command timeout, or {@code null} for the manager's value. */
  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  /**
   * Sets how long one Redis command may take before the cache operation fails.
   *
   * @param commandTimeout positive, or {@code null} for the manager's value
   * @throws IllegalArgumentException if zero or negative
   */
  public DistCacheConfiguration<K, V> setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = requirePositiveOrNull("commandTimeout", commandTimeout);
    return this;
  }

  /** Which operations take the per-key lease, or {@code null} for the manager's value. */
  public LeaseScope getLease() {
    return lease;
  }

  /**
   * Sets which operations take the per-key lease across CacheManagers (write-through caches always lease
   * their writes).
   *
   * @param lease the scope, or {@code null} for the manager's value
   */
  public DistCacheConfiguration<K, V> setLease(LeaseScope lease) {
    this.lease = lease;
    return this;
  }

  @Override
  public DistCacheConfiguration<K, V> setTypes(Class<K> keyType, Class<V> valueType) {
    super.setTypes(keyType, valueType);
    return this;
  }

  @Override
  public DistCacheConfiguration<K, V> addCacheEntryListenerConfiguration(
      CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    super.addCacheEntryListenerConfiguration(listenerConfiguration);
    return this;
  }

  @Override
  public DistCacheConfiguration<K, V> removeCacheEntryListenerConfiguration(
      CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    super.removeCacheEntryListenerConfiguration(listenerConfiguration);
    return this;
  }

  @Override
  public DistCacheConfiguration<K, V> setCacheLoaderFactory(Factory<? extends CacheLoader<K, V>> factory) {
    super.setCacheLoaderFactory(factory);
    return this;
  }

  @Override
  public DistCacheConfiguration<K, V> setCacheWriterFactory(
      Factory<? extends CacheWriter<? super K, ? super V>> factory) {
    super.setCacheWriterFactory(factory);
    return this;
  }

  @Override
  public DistCacheConfiguration<K, V> setExpiryPolicyFactory(Factory<? extends ExpiryPolicy> factory) {
    super.setExpiryPolicyFactory(factory);
    return this;
  }

  @Override
  public DistCacheConfiguration<K, V> setReadThrough(boolean isReadThrough) {
    super.setReadThrough(isReadThrough);
    return this;
  }

  @Override
  public DistCacheConfiguration<K, V> setWriteThrough(boolean isWriteThrough) {
    super.setWriteThrough(isWriteThrough);
    return this;
  }

  @Override
  public DistCacheConfiguration<K, V> setStoreByValue(boolean isStoreByValue) {
    super.setStoreByValue(isStoreByValue);
    return this;
  }

  @Override
  public DistCacheConfiguration<K, V> setStatisticsEnabled(boolean enabled) {
    super.setStatisticsEnabled(enabled);
    return this;
  }

  @Override
  public DistCacheConfiguration<K, V> setManagementEnabled(boolean enabled) {
    super.setManagementEnabled(enabled);
    return this;
  }

  /**
   * Equal when the JSR-107 parts are equal and so are the distcache settings. Note that
   * {@link MutableConfiguration#equals(Object)} ignores the distcache settings, so a plain
   * {@code MutableConfiguration} may consider itself equal to an instance of this class.
   */
  @Override
  public boolean equals(Object object) {
    return object instanceof DistCacheConfiguration<?, ?> other
        && super.equals(other)
        && Objects.equals(namespace, other.namespace)
        && Objects.equals(nearMaxItems, other.nearMaxItems)
        && Objects.equals(nearMaxBytes, other.nearMaxBytes)
        && Objects.equals(nearMaxTtl, other.nearMaxTtl)
        && readFrom == other.readFrom
        && Objects.equals(compressionThreshold, other.compressionThreshold)
        && Objects.equals(commandTimeout, other.commandTimeout)
        && lease == other.lease
        && Objects.equals(nearOptions, other.nearOptions);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode()
        + Objects.hash(namespace, nearMaxItems, nearMaxBytes, nearMaxTtl, readFrom, compressionThreshold, commandTimeout,
            lease, nearOptions);
  }

  private static long requireNonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
    return value;
  }

  private static Duration requirePositiveOrNull(String name, Duration value) {
    if (value != null) {
      Quantities.requirePositive(name, value);
    }
    return value;
  }
}
