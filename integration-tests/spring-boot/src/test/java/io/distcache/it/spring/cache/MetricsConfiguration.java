package io.distcache.it.spring.cache;

import io.distcache.jcache.metrics.DistCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Boot's cache metrics registrar binds every Spring cache through the {@link CacheMeterBinderProvider}s it finds:
 * this one publishes Micrometer's standard {@code cache.*} meters and distcache's own for JCache caches, in place
 * of Boot's JCache binder (which reads the JSR-107 statistics MXBean).
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

  @Bean
  MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }

  @Bean
  CacheMeterBinderProvider<JCacheCache> distcacheMeterBinderProvider() {
    return (cache, tags) -> new DistCacheMetrics(cache.getNativeCache(), tags);
  }
}
