/**
 * The JSR-107 management beans of a cache ({@code CacheMXBean}, {@code CacheStatisticsMXBean}) and
 * their registration with the platform MBean server under the names the specification defines.
 */
package io.distcache.jcache.management;
