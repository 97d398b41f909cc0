package io.distcache.jcache.management;

import java.util.Objects;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/**
 * The configuration of one cache, exposed as its {@code javax.cache:type=CacheConfiguration} MXBean.
 *
 * <p>Every attribute reads {@code cache.getConfiguration(CompleteConfiguration.class)} anew, so the
 * bean follows runtime changes such as {@code CacheManager.enableStatistics}.
 */
public final class JCacheMXBean implements CacheMXBean {

  private final Cache<?, ?> cache;

  /**
   * Creates the bean of a cache.
   *
   * @param cache a cache whose {@code getConfiguration} supports {@link CompleteConfiguration}
   */
  public JCacheMXBean(Cache<?, ?> cache) {
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  // A class literal is always raw, so asking for CompleteConfiguration is an unchecked call even
  // though the wildcard result asserts nothing about the cache's types.
  @SuppressWarnings("unchecked")
  private CompleteConfiguration<?, ?> configuration() {
    return cache.getConfiguration(CompleteConfiguration.class);
  }

  /** The key type's class name, {@code java.lang.Object} when the configuration sets none. */
  @Override
  public String getKeyType() {
    return typeName(configuration().getKeyType());
  }

  /** The value type's class name, {@code java.lang.Object} when the configuration sets none. */
  @Override
  public String getValueType() {
    return typeName(configuration().getValueType());
  }

  private static String typeName(Class<?> type) {
    return type == null ? Object.class.getName() : type.getName();
  }

  @Override
  public boolean isReadThrough() {
    return configuration().isReadThrough();
  }

  @Override
  public boolean isWriteThrough() {
    return configuration().isWriteThrough();
  }

  @Override
  public boolean isStoreByValue() {
    return configuration().isStoreByValue();
  }

  @Override
  public boolean isStatisticsEnabled() {
    return configuration().isStatisticsEnabled();
  }

  @Override
  public boolean isManagementEnabled() {
    return configuration().isManagementEnabled();
  }
}
