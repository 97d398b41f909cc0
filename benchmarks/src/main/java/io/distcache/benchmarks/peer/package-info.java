/**
 * The caches and clients the rows compare: distcache, in-process JCache providers, Redisson and a raw
 * Lettuce client with plain Kryo.
 */
package io.distcache.benchmarks.peer;
