/**
 * Loader and writer integration: calls to the configured {@code CacheLoader} and {@code CacheWriter} with
 * JSR-107's exception rules, and the single flight that shares one load among concurrent misses of a key.
 */
package io.distcache.jcache.integration;
