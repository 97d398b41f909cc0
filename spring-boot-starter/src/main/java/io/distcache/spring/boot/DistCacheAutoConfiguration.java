package io.distcache.spring.boot;

import io.distcache.jcache.spi.DistCachingProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.JCachePropertiesCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Makes {@code spring.cache.type=jcache} and {@code distcache.*} properties all a Boot application needs: the
 * properties reach the CacheManager Boot creates through the provider, caches declared with
 * {@code distcache.cache[name].*} may also be listed in {@code spring.cache.cache-names}, and Hibernate's JCache
 * second-level cache shares that CacheManager.
 */
@AutoConfiguration(before = CacheAutoConfiguration.class)
@ConditionalOnClass({DistCachingProvider.class, JCachePropertiesCustomizer.class})
@EnableConfigurationProperties(DistCacheProperties.class)
public class DistCacheAutoConfiguration {

  @Bean
  JCachePropertiesCustomizer distcacheSettingsCustomizer(ConfigurableEnvironment environment) {
    return new DistCacheSettingsCustomizer(environment);
  }

  @Bean
  static BeanPostProcessor distcacheDeclaredCachesFilter(ConfigurableEnvironment environment) {
    return new DeclaredCachesFilter(environment);
  }

  /** Hibernate's second-level cache on the application's CacheManager, when Hibernate is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HibernatePropertiesCustomizer.class)
  static class SharedWithHibernate {

    @Bean
    HibernatePropertiesCustomizer distcacheSharedCacheManager(ObjectProvider<javax.cache.CacheManager> cacheManager) {
      return new SharedCacheManagerCustomizer(cacheManager);
    }
  }
}
