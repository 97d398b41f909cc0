/**
 * Delivery of JSR-107 cache entry events: {@link io.distcache.jcache.event.EventDispatcher} takes the
 * events a cache publishes and hands them, in per-key order, to the listeners registered on it.
 */
package io.distcache.jcache.event;
