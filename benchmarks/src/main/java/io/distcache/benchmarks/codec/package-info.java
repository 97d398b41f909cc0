/** Decoding one stored value, with no I/O: the work behind every by-value near hit and every remote read. */
package io.distcache.benchmarks.codec;
