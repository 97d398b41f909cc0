/**
 * The JMH benchmark suite behind {@code benchmarks/run}: distcache next to the caches users would pick
 * instead, on one redis-server, with the results written as Markdown.
 */
package io.distcache.benchmarks;
