/**
 * Real {@code redis-server} processes for tests, benchmarks and demos: masters and replicas on
 * free loopback ports, each in its own throwaway directory, with kill, restart and pause to
 * simulate failures.
 *
 * <p>Entry points: {@link io.distcache.testkit.RedisServer#start()},
 * {@link io.distcache.testkit.RedisServer#builder()} and
 * {@link io.distcache.testkit.RedisBinary#detect()}.
 */
package io.distcache.testkit;
