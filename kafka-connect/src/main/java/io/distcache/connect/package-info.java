/**
 * The producer's exact sink as a Kafka Connect sink connector: {@link io.distcache.connect.DistcacheSinkConnector}
 * and its tasks, configured with the producer's keys.
 */
package io.distcache.connect;
