/** Reads of a key held in this JVM. */
package io.distcache.benchmarks.local;
