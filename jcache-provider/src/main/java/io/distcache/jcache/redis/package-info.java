/**
 * Redis access: connections per topology (standalone with replicas, Sentinel, cluster), the namespace store
 * that runs the Lua scripts (conditional writes with versions and change-log records, reads, clears, per-key
 * leases), the circuit breaker that fails fast during outages, and the exceptions naming the server.
 */
package io.distcache.jcache.redis;
