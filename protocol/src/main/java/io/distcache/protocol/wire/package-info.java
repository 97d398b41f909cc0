/**
 * How keys and values travel to and from Redis: the Lettuce codec every connection of the provider and the producer
 * uses.
 */
package io.distcache.protocol.wire;
