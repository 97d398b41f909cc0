/**
 * Redis access: connections over one topology interface (a master with replicas, standalone or through Sentinel;
 * or a Redis Cluster), with read routing on its own, the namespace store that runs the protocol's
 * {@link io.distcache.protocol.script.edge.EdgeScripts} (conditional writes with versions and change-log records,
 * reads, clears, per-key leases), the circuit breaker that fails fast during outages, and the exceptions naming the
 * server.
 */
package io.distcache.jcache.redis;
