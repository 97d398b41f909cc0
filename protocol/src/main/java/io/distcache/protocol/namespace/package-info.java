/**
 * The Redis key layout of a namespace, shared by the provider and the producer: entries, leases, change log,
 * version counter, meta hash and the heartbeat key; and the paged removal of a key space's entries.
 */
package io.distcache.protocol.namespace;
