/** Kafka: the manually assigned topic consumer and the dead-letter publisher. */
package io.distcache.producer.source;
