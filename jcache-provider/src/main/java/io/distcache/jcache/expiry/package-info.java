/**
 * JSR-107 expiry: turns an {@code ExpiryPolicy}'s durations for creation, update and access into the TTLs
 * written to Redis and mirrored in the near cache.
 */
package io.distcache.jcache.expiry;
