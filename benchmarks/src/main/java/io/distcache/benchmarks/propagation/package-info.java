/** How long a change takes to reach another CacheManager's near cache, measured per write path. */
package io.distcache.benchmarks.propagation;
