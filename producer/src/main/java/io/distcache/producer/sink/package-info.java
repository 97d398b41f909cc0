/**
 * Writes namespaces in Redis under the version rule: pipelined batch scripts carrying data, change-log
 * records and checked source offsets, plus the meta hash (generation, owner, offsets).
 */
package io.distcache.producer.sink;
