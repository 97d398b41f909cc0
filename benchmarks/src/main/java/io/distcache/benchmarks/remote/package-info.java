/** Single reads answered by Redis, decoding included. */
package io.distcache.benchmarks.remote;
