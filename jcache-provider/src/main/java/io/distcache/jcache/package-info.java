/**
 * The JCache provider's core: {@link io.distcache.jcache.DistCacheManager} creates and wires each cache, and
 * {@link io.distcache.jcache.DistCache} is the {@code javax.cache.Cache} facade over a near cache and one Redis
 * namespace.
 *
 * <ul>
 *   <li>{@link io.distcache.jcache.EntryUpdater} carries out a read-decide-write step on one entry (per-key lease,
 *       compare-and-set, the {@code CacheWriter} call) and returns its {@link io.distcache.jcache.Outcome}, which
 *       the cache publishes once: near install, statistics, listeners.</li>
 *   <li>A {@link io.distcache.jcache.Planner} turns the entry's {@link io.distcache.jcache.Current} state into a
 *       {@link io.distcache.jcache.Plan}; planners have no side effects, since a retry runs them again.</li>
 *   <li>{@link io.distcache.jcache.ReadThrough} loads missed keys through the {@code CacheLoader}.</li>
 * </ul>
 */
package io.distcache.jcache;
