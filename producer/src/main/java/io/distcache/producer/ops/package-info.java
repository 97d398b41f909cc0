/** Operations: the command line, backload progress, Micrometer metrics, {@code /metrics} and {@code /health}. */
package io.distcache.producer.ops;
