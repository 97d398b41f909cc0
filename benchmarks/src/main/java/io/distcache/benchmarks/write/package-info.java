/** Single-key writes, from a raw {@code SET} to distcache with the per-key lease. */
package io.distcache.benchmarks.write;
