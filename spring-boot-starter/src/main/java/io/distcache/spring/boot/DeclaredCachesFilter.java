package io.distcache.spring.boot;

import java.util.Objects;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.cache.autoconfigure.CacheProperties;

/**
 * Leaves the caches declared with {@code distcache.cache[name].*} out of {@code spring.cache.cache-names}: the
 * CacheManager creates them when it starts, and Boot's {@code createCache} of the same name would then fail, as
 * JSR-107 requires for a cache that exists. Spring's cache manager finds them all the same, since it lists the
 * JCache manager's caches.
 */
final class DeclaredCachesFilter implements BeanPostProcessor {

  private final ObjectProvider<DistCacheProperties> properties;

  DeclaredCachesFilter(ObjectProvider<DistCacheProperties> properties) {
    this.properties = Objects.requireNonNull(properties, "properties");
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof CacheProperties cacheProperties && !cacheProperties.getCacheNames().isEmpty()) {
      Set<String> declared = properties.getObject().getCache().keySet();
      cacheProperties.setCacheNames(cacheProperties.getCacheNames().stream()
          .filter(name -> !declared.contains(name)).toList());
    }
    return bean;
  }
}
