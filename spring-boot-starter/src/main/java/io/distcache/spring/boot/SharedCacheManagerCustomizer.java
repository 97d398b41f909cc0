package io.distcache.spring.boot;

import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;

/**
 * Gives Hibernate's second-level cache the application's JCache CacheManager, so entity regions and Spring's caches
 * share one distcache CacheManager (one set of Redis connections, one change-log follower) instead of Hibernate
 * opening its own. Only when Hibernate's region factory is JCache and the application has not named a manager.
 */
final class SharedCacheManagerCustomizer implements HibernatePropertiesCustomizer {

  static final String REGION_FACTORY = "hibernate.cache.region.factory_class";
  static final String CACHE_MANAGER = "hibernate.javax.cache.cache_manager";

  private final ObjectProvider<javax.cache.CacheManager> cacheManager;

  SharedCacheManagerCustomizer(ObjectProvider<javax.cache.CacheManager> cacheManager) {
    this.cacheManager = Objects.requireNonNull(cacheManager, "cacheManager");
  }

  @Override
  public void customize(Map<String, Object> properties) {
    if (properties.containsKey(CACHE_MANAGER) || !String.valueOf(properties.get(REGION_FACTORY)).contains("jcache")) {
      return;
    }
    javax.cache.CacheManager shared = cacheManager.getIfAvailable();
    if (shared != null) {
      properties.put(CACHE_MANAGER, shared);
    }
  }
}
