/**
 * The distcache producer: keeps Redis namespaces an exact projection of compacted Kafka topics
 * (DESIGN.md §5). {@link io.distcache.producer.CacheProducer} runs one
 * {@link io.distcache.producer.ProjectionRunner} per configured projection.
 */
package io.distcache.producer;
