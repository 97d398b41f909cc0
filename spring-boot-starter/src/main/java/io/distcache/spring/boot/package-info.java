/**
 * Spring Boot auto-configuration for distcache: {@code distcache.*} properties handed to the JCache CacheManager
 * Boot creates ({@link io.distcache.spring.boot.DistCacheAutoConfiguration}), a health component and Micrometer
 * cache meters, and Hibernate's second-level cache sharing the CacheManager. docs/spring-boot.md shows the setup.
 */
package io.distcache.spring.boot;
