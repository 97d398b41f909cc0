/** What the Redis codec costs on Lettuce's I/O thread: the commands' encoding into an output buffer, no I/O. */
package io.distcache.benchmarks.wire;
