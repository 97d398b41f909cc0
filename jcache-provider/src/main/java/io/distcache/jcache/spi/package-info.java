/**
 * The {@code javax.cache.spi.CachingProvider} that {@code Caching} finds through {@code ServiceLoader}: one
 * CacheManager per URI and class loader, closed with the provider.
 */
package io.distcache.jcache.spi;
