/**
 * Operations: the version, backload progress, Micrometer metrics, {@code /metrics},
 * {@code /health/live} and {@code /health/ready}.
 */
package io.distcache.producer.ops;
