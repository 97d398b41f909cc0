package io.distcache.spring.boot;

import io.distcache.jcache.DistCache;
import io.distcache.jcache.metrics.DistCacheMetrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.core.Ordered;

/**
 * Binds each distcache cache Spring knows with {@link DistCacheMetrics}: Micrometer's standard {@code cache.*}
 * meters from distcache's own counters, and the {@code distcache.*} ones (docs/metrics.md). Ordered first, so Boot's
 * cache metrics registrar uses it in place of its JCache binder, which reads the JSR-107 statistics MXBean (off by
 * default) and would register the same {@code cache.*} names; caches of other JCache providers are left to it.
 */
final class DistCacheMeterBinderProvider implements CacheMeterBinderProvider<JCacheCache>, Ordered {

  @Override
  public MeterBinder getMeterBinder(JCacheCache cache, Iterable<Tag> tags) {
    return cache.getNativeCache() instanceof DistCache<?, ?> distCache ? new DistCacheMetrics(distCache, tags) : null;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
