/**
 * Warm edges, measured outside JMH (one long run each, not a call repeated): how fast {@code near.preload=all}
 * streams a namespace into the near cache, next to a plain {@code SCAN} + {@code MGET} of the same keys, and how many
 * heap bytes a near entry costs next to raw Caffeine holding the same keys and values.
 */
package io.distcache.benchmarks.warm;
