package io.distcache.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.context.annotation.Bean;

/** Micrometer meters for every distcache cache Spring knows, when Micrometer is on the class path. */
@AutoConfiguration(before = CacheMetricsAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, CacheMeterBinderProvider.class})
public class DistCacheMetricsAutoConfiguration {

  @Bean
  CacheMeterBinderProvider<?> distcacheMeterBinderProvider() {
    return new DistCacheMeterBinderProvider();
  }
}
