/**
 * The JCache provider's core: {@link io.distcache.jcache.DistCacheManager} creates and wires each cache, and
 * {@link io.distcache.jcache.DistCache} is the {@code javax.cache.Cache} facade over a near cache and one Redis
 * namespace.
 *
 * <ul>
 *   <li>{@link io.distcache.jcache.EntryUpdater} carries out a read-decide-write step on one entry (per-key lease,
 *       compare-and-set, the {@code CacheWriter} call) and returns its {@link io.distcache.jcache.Outcome}, which
 *       {@link io.distcache.jcache.OutcomePublisher} publishes once: near install, statistics, listeners.</li>
 *   <li>A {@link io.distcache.jcache.Planner} turns the entry's {@link io.distcache.jcache.Current} state into a
 *       {@link io.distcache.jcache.Plan}; planners have no side effects, since a retry runs them again.
 *       {@link io.distcache.jcache.WriteDecisions} holds those of the single-entry writes.</li>
 *   <li>{@link io.distcache.jcache.NearHits} decides what {@code get}, {@code getAll} and {@code containsKey} may
 *       take from the near cache;
 *       {@link io.distcache.jcache.CacheReads} reads entries from Redis against what the near cache knows and
 *       fills it, {@link io.distcache.jcache.BulkReads} does {@code getAll}, and
 *       {@link io.distcache.jcache.NearCoherence} applies the change log to the near cache.</li>
 *   <li>{@link io.distcache.jcache.ReadThrough} loads missed keys through the {@code CacheLoader}, and runs
 *       {@code loadAll}; {@link io.distcache.jcache.EntryProcessing}, {@link io.distcache.jcache.BulkWrites},
 *       {@link io.distcache.jcache.DirectWrites} and {@link io.distcache.jcache.EntryIterator} carry out
 *       {@code invoke}, {@code putAll}/{@code removeAll}, one-round-trip writes and iteration.</li>
 *   <li>{@link io.distcache.jcache.NearMaintenance} keeps the near cache warm and clean: fills held during the
 *       change log's replay, preload, snapshot, sweeps.</li>
 * </ul>
 */
package io.distcache.jcache;
