/**
 * The producer's demo and backload benchmark: they start a Kafka broker and redis-server of their own
 * (testkit), so they live apart from the producer's runtime jar, which ships neither.
 */
package io.distcache.producer.demo;
