/**
 * Taking turns on a contended key: the per-key lease that makes writers, loaders and entry processors run
 * once per committed outcome across CacheManagers, and the bounded, jittered retries of unleased
 * compare-and-set writes (docs/consistency.md, "Contention: the per-key lease").
 */
package io.distcache.jcache.contention;
