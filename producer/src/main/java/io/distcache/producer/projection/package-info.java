/**
 * Source records to namespace changes: the built-in formats ({@code json}, {@code debezium},
 * {@code flattened}), key templates, field selection, and the {@link io.distcache.producer.projection.Projection}
 * SPI for plugin formats.
 */
package io.distcache.producer.projection;
