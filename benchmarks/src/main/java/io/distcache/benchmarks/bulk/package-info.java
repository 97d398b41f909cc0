/** Bulk reads of 100 distinct keys answered by Redis. */
package io.distcache.benchmarks.bulk;
