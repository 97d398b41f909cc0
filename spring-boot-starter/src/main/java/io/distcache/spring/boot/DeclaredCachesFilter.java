package io.distcache.spring.boot;

import java.util.Objects;
import java.util.Set;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.cache.autoconfigure.CacheProperties;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Leaves the caches declared with {@code distcache.cache[name].*} in the Spring environment (the settings
 * {@link DistCacheSettingsCustomizer} hands to the provider) out of {@code spring.cache.cache-names}: the
 * CacheManager creates them when it starts, and Boot's {@code createCache} of the same name would then fail, as
 * JSR-107 requires for a cache that exists. Spring's cache manager finds them all the same, since it lists the
 * JCache manager's caches.
 */
final class DeclaredCachesFilter implements BeanPostProcessor {

  private final ConfigurableEnvironment environment;

  DeclaredCachesFilter(ConfigurableEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof CacheProperties cacheProperties && !cacheProperties.getCacheNames().isEmpty()) {
      Set<String> declared = EnvironmentSettings.declaredCaches(EnvironmentSettings.of(environment));
      cacheProperties.setCacheNames(cacheProperties.getCacheNames().stream()
          .filter(name -> !declared.contains(name)).toList());
    }
    return bean;
  }
}
