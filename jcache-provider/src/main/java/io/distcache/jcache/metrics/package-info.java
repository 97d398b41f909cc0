/**
 * Cache metrics beyond JSR-107 statistics.
 *
 * <ul>
 *   <li>{@link io.distcache.jcache.metrics.CacheMetrics} — the always-on counters each cache records.</li>
 *   <li>{@link io.distcache.jcache.metrics.DistCacheMetrics} — a Micrometer {@code MeterBinder} publishing them,
 *       with the near cache's size, weight and evictions; needs {@code io.micrometer:micrometer-core}.</li>
 * </ul>
 */
package io.distcache.jcache.metrics;
