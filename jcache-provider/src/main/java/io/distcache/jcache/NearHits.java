package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.near.NearEntry;
import io.distcache.jcache.redis.CircuitBreaker;
import io.distcache.jcache.redis.NamespaceStore;

/**
 * What a read may take from the near cache now: a near copy or a remembered miss, served always while Redis is
 * reachable and for at most {@code outage.stale-on-failure} once it is not (then the read goes on to Redis and fails
 * fast). Small on purpose: every near hit of {@code get}, {@code getAll} and {@code containsKey} runs it.
 */
final class NearHits<K> {

  private final NearCache<K> near;
  private final NamespaceStore store;
  private final CircuitBreaker breaker;

  NearHits(NearCache<K> near, NamespaceStore store, CircuitBreaker breaker) {
    this.near = requireNonNull(near, "near");
    this.store = requireNonNull(store, "store");
    this.breaker = requireNonNull(breaker, "breaker");
  }

  /** The near copy of a key that may be served, or {@code null}. */
  NearEntry.Present present(K key) {
    NearEntry.Present cached = near.get(key, store.namespace());
    return cached != null && breaker.allowsStaleHits() ? cached : null;
  }

  /**
   * Whether a remembered miss of the key may be served: Redis confirmed it, no change-log record of it came since, and
   * Redis answers or has not answered for less than {@code outage.stale-on-failure}.
   */
  boolean knownAbsent(K key) {
    return near.knownAbsent(key, store.namespace()) && breaker.allowsStaleHits();
  }

  /** The value of a near hit: the cached instance by reference, a fresh decode of the cached bytes by value. */
  @SuppressWarnings("unchecked")
  static <V> V valueOf(NearEntry.Present cached) {
    return (V) cached.value();
  }
}
