package io.distcache.spring.boot;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code distcache} health component ({@code /actuator/health/distcache}), when Spring Boot's health support is
 * on the class path; {@code management.health.distcache.enabled=false} turns it off.
 */
@AutoConfiguration(after = CacheAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(javax.cache.CacheManager.class)
@ConditionalOnEnabledHealthIndicator("distcache")
public class DistCacheHealthAutoConfiguration {

  @Bean
  HealthIndicator distcacheHealthIndicator(javax.cache.CacheManager cacheManager) {
    return new DistCacheHealthIndicator(cacheManager);
  }
}
