/**
 * Writes namespaces in Redis under the version rule: batches carrying data, change-log records and
 * checked source offsets, plus the meta hash (generation, owner, offsets). On a standalone or Sentinel
 * master each chunk is one atomic script; on Redis Cluster a batch is logged, written slot by slot and
 * then committed ({@link io.distcache.producer.sink.LogFirstBatches}). Both run the protocol's
 * {@link io.distcache.protocol.script.sink.SinkScripts}, which share the Lua of {@code library.lua}.
 */
package io.distcache.producer.sink;
