/**
 * The distcache producer: keeps Redis namespaces an exact projection of compacted Kafka topics
 * (docs/producer.md). {@link io.distcache.producer.CacheProducer} runs one
 * {@link io.distcache.producer.ProjectionRunner} per configured projection.
 */
package io.distcache.producer;
