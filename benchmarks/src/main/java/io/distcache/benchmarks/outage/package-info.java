/** The near-hit latency while Redis is down, next to the same hit with Redis up. */
package io.distcache.benchmarks.outage;
