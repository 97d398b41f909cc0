/**
 * The coherence checker: several edge CacheManagers read a namespace while a writer CacheManager
 * updates it, and every read is checked against the writes acknowledged before it.
 *
 * <p>{@link io.distcache.checker.CoherenceChecker} runs the workload and keeps the
 * {@link io.distcache.checker.Ledger}, which finds {@link io.distcache.checker.Violation}s (reads
 * stale beyond the bound) and {@link io.distcache.checker.Regression}s (an edge reading an older
 * version than it had already read); {@link io.distcache.checker.CheckerReport} is its verdict;
 * {@link io.distcache.checker.FaultInjector} breaks a {@link io.distcache.checker.RedisTopology}
 * on purpose; {@link io.distcache.checker.CheckerMain} is the {@code run} and {@code soak} command.
 */
package io.distcache.checker;
