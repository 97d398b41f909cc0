/**
 * {@link io.distcache.jcache.metrics.DistCacheMetrics}: a Micrometer {@code MeterBinder} publishing a cache's
 * {@linkplain io.distcache.jcache.counters counters}, with the near cache's size, weight and evictions; needs
 * {@code io.micrometer:micrometer-core}.
 */
package io.distcache.jcache.metrics;
