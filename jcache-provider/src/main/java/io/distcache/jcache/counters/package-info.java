/**
 * The always-on counters each cache records beyond JSR-107 statistics ({@link
 * io.distcache.jcache.counters.CacheMetrics}): near hits, Redis hits, misses and latency, puts, outdated
 * replica answers, undecodable records and values, compare-and-set retries. Free of any metrics library;
 * {@link io.distcache.jcache.metrics} publishes them through Micrometer.
 */
package io.distcache.jcache.counters;
