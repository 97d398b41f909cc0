/**
 * The near cache: a Caffeine cache in the JVM bounded by items, bytes and time, holding values (or their
 * bytes, by value) with their versions, and invalidation markers that keep an older value from being cached
 * again after a newer version was seen (the fill race).
 */
package io.distcache.jcache.near;
