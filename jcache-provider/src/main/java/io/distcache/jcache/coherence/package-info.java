/**
 * Keeping near caches coherent: the change-log follower (blocking {@code XREAD} on every namespace, gap and
 * sequence checks, replay after reconnects), client tracking for namespaces written by other tools, the
 * replica-lag heartbeat, and the loop that keeps these threads alive.
 */
package io.distcache.jcache.coherence;
