package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.event.EventDispatcher;
import io.distcache.jcache.expiry.ExpiryCalculator;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.near.NearEntry;
import io.distcache.jcache.redis.Mutation;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.protocol.codec.EncodedValue;
import io.distcache.protocol.codec.ValueCodec;
import javax.cache.event.EventType;

/**
 * Unconditional writes that need no read first, so one round trip each: the entry is set or deleted whatever its
 * version, and the previous value comes back from the script when the caller or a listener needs it. Only for
 * caches whose writes hold no lease (so call no writer); a put also needs an eternal expiry policy.
 */
final class DirectWrites<K, V> {

  private final NamespaceStore store;
  private final NearCache<K> near;
  private final ValueCodec codec;
  private final CacheReads<K, V> reads;
  private final EventDispatcher<K, V> dispatcher;
  private final OutcomePublisher<K, V> publisher;

  DirectWrites(NamespaceStore store, NearCache<K> near, ValueCodec codec, CacheReads<K, V> reads,
      EventDispatcher<K, V> dispatcher, OutcomePublisher<K, V> publisher) {
    this.store = requireNonNull(store, "store");
    this.near = requireNonNull(near, "near");
    this.codec = requireNonNull(codec, "codec");
    this.reads = requireNonNull(reads, "reads");
    this.dispatcher = requireNonNull(dispatcher, "dispatcher");
    this.publisher = requireNonNull(publisher, "publisher");
  }

  /** Sets the entry, keeping its TTL; returns the previous value when fetched ({@code wantOld}, or a listener). */
  V put(K key, String encodedKey, V value, boolean wantOld) {
    EncodedValue encoded = codec.encode(value);
    boolean needOld = wantOld || dispatcher.hasListenerFor(EventType.UPDATED);
    // Read before the write: this manager's own change-log record may replace the entry meanwhile.
    NearEntry.Present cachedBefore = near.get(key, store.namespace());
    Mutation.Result result = store.mutate(Mutation.set(encodedKey, encoded, Mutation.KEEP_TTL, needOld));
    V old = result.previous() == null ? null : reads.valueOf(cachedBefore, result.previous());
    Current<V> before = result.existed() ? new Current<>(old, 0) : null;
    publisher.committed(key, before, Plan.set(value, ExpiryCalculator.ETERNAL, null), encoded, result.version());
    return old;
  }

  /**
   * Deletes the entry; returns what was there (its value only when a listener needs it), {@code null} when nothing
   * was.
   */
  Current<V> remove(K key, String encodedKey) {
    boolean needOld = dispatcher.hasListenerFor(EventType.REMOVED);
    Mutation.Result result = store.mutate(Mutation.delete(encodedKey, needOld));
    if (!result.applied()) {
      near.removed(key, result.version());
      return null;
    }
    Current<V> before = new Current<>(result.previous() == null ? null : reads.decode(result.previous()), 0);
    publisher.committed(key, before, Plan.delete(null), null, result.version());
    return before;
  }

  /** Deletes the entry and returns its value, {@code null} when there was none. */
  V getAndRemove(K key, String encodedKey) {
    NearEntry.Present cachedBefore = near.get(key, store.namespace());
    Mutation.Result result = store.mutate(Mutation.delete(encodedKey, true));
    if (!result.applied()) {
      near.removed(key, result.version());
      return null;
    }
    V old = reads.valueOf(cachedBefore, result.previous());
    publisher.committed(key, new Current<>(old, 0), Plan.delete(null), null, result.version());
    return old;
  }
}
