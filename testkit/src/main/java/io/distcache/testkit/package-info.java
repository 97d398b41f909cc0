/**
 * Real {@code redis-server} processes for tests, benchmarks and demos: masters and replicas on
 * free loopback ports, each in its own throwaway directory, with kill, restart and pause to
 * simulate failures; and a single-node Kafka KRaft broker, in-process or as a child JVM.
 *
 * <p>Entry points: {@link io.distcache.testkit.RedisServer#start()},
 * {@link io.distcache.testkit.RedisServer#builder()} and
 * {@link io.distcache.testkit.RedisBinary#detect()}, {@link io.distcache.testkit.KafkaBroker#start()} and
 * {@link io.distcache.testkit.KafkaBroker#startChildProcess()}.
 */
package io.distcache.testkit;
