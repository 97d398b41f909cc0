/**
 * The data set every row works on: keys, values of about 200 bytes and precomputed random access
 * sequences.
 */
package io.distcache.benchmarks.data;
