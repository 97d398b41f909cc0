package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.counters.CacheMetrics;
import io.distcache.jcache.event.EventDispatcher;
import io.distcache.jcache.expiry.ExpiryCalculator;
import io.distcache.jcache.management.JCacheStatistics;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.redis.Mutation;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.jcache.redis.ProducerOwnedNamespaceException;
import io.distcache.protocol.codec.EncodedValue;
import io.distcache.protocol.codec.KeyEncoder;
import javax.cache.Cache;

/**
 * What a cache does once the outcome of an operation on one entry is known, and only then, once: installs or drops
 * the near copy, counts statistics, publishes listener events and applies the expiry policy's access rule. Code a
 * retry loop may run again ({@link EntryUpdater}) never calls it.
 */
final class OutcomePublisher<K, V> {

  private final Cache<K, V> cache;
  private final NamespaceStore store;
  private final NearCache<K> near;
  private final CacheReads<K, V> reads;
  private final KeyEncoder keys;
  private final ExpiryCalculator expiry;
  private final EventDispatcher<K, V> dispatcher;
  private final JCacheStatistics statistics;
  private final CacheMetrics metrics;

  /** {@code cache} is the events' source. */
  OutcomePublisher(Cache<K, V> cache, NamespaceStore store, NearCache<K> near, CacheReads<K, V> reads,
      KeyEncoder keys, ExpiryCalculator expiry, EventDispatcher<K, V> dispatcher, JCacheStatistics statistics,
      CacheMetrics metrics) {
    this.cache = requireNonNull(cache, "cache");
    this.store = requireNonNull(store, "store");
    this.near = requireNonNull(near, "near");
    this.reads = requireNonNull(reads, "reads");
    this.keys = requireNonNull(keys, "keys");
    this.expiry = requireNonNull(expiry, "expiry");
    this.dispatcher = requireNonNull(dispatcher, "dispatcher");
    this.statistics = requireNonNull(statistics, "statistics");
    this.metrics = requireNonNull(metrics, "metrics");
  }

  /**
   * Publishes what a step did and returns its result.
   *
   * @param countsAsRead whether the operation counts as a cache hit or miss (of the state it acted on)
   */
  <R> R published(K key, String encodedKey, boolean countsAsRead, Outcome<V, R> outcome) {
    Current<V> before = outcome.before();
    if (outcome.plan().operation() == Plan.Operation.ACCESS) {
      accessed(key, encodedKey, before.version(), before.value());
    } else if (outcome.plan().changesEntry()) {
      committed(key, before, outcome.plan(), outcome.encoded(), outcome.version());
    }
    if (countsAsRead) {
      countRead(before != null);
    }
    return outcome.result();
  }

  /** Counts a read of one entry as a hit or a miss. */
  void countRead(boolean hit) {
    if (hit) {
      statistics.recordHits(1);
    } else {
      statistics.recordMisses(1);
    }
  }

  /** Updates the near cache, statistics and listeners after a write was applied in Redis. */
  void committed(K key, Current<V> before, Plan<V, ?> plan, EncodedValue encoded, long version) {
    switch (plan.operation()) {
      case SET -> {
        if (plan.ttlMillis() == Mutation.KEEP_TTL && !expiry.isEternal()) {
          near.invalidate(key, version);
        } else {
          reads.fillWritten(key, plan.value(), encoded, version, plan.ttlMillis());
        }
        statistics.recordPuts(1);
        metrics.put();
        if (before == null) {
          dispatcher.publishCreated(cache, key, plan.value());
        } else {
          dispatcher.publishUpdated(cache, key, before.value(), plan.value());
        }
      }
      case DELETE -> {
        near.removed(key, version);
        statistics.recordRemovals(1);
        dispatcher.publishRemoved(cache, key, before == null ? null : before.value());
      }
      case EXPIRE -> {
        near.removed(key, version);
        dispatcher.publishExpired(cache, key, before == null ? null : before.value());
      }
      default -> throw new IllegalStateException("nothing to commit for " + plan.operation());
    }
  }

  /**
   * Applies the expiry policy's access rule after a hit of {@code version}: keeps, re-times or expires the entry.
   *
   * @param knownEncodedKey the key's encoding when the caller has it, else {@code null}
   */
  void accessed(K key, String knownEncodedKey, long version, V value) {
    if (expiry.isEternal()) {
      return;
    }
    long ttl = expiry.access();
    if (ttl == ExpiryCalculator.KEEP) {
      return;
    }
    String encodedKey = knownEncodedKey == null ? keys.encode(key) : knownEncodedKey;
    if (ttl == ExpiryCalculator.EXPIRED) {
      Mutation.Result result;
      try {
        result = store.mutate(Mutation.delete(encodedKey, false).ifVersion(version));
      } catch (ProducerOwnedNamespaceException e) {
        // an edge never deletes a producer's entry; the read still returns what it found
        return;
      }
      if (result.applied()) {
        near.removed(key, result.version());
        dispatcher.publishExpired(cache, key, value);
      } else {
        near.invalidate(key, result.version());
      }
      return;
    }
    store.expire(encodedKey, ttl);
    near.retime(key, version, ttl);
  }
}
