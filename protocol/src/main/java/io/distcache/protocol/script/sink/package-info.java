/**
 * The Lua scripts of the producer's fenced writes, claims and rebuilds, in {@link
 * io.distcache.protocol.script.sink.SinkScripts}: the Redis side of the protocol described in {@code docs/producer.md}.
 */
package io.distcache.protocol.script.sink;
