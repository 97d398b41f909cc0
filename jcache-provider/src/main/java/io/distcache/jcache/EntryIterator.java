package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.expiry.ExpiryCalculator;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.jcache.redis.StoredEntry;
import io.distcache.protocol.codec.KeyEncoder;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import javax.cache.Cache;

/**
 * Iterates over a cache's entries in Redis, a {@code SCAN} page at a time, read per the cache's read mode and
 * checked against what the near cache knows; each entry returned counts as a hit and is an access to the expiry
 * policy.
 */
final class EntryIterator<K, V> implements Iterator<Cache.Entry<K, V>> {

  private final NamespaceStore store;
  private final CacheReads<K, V> reads;
  private final KeyEncoder keys;
  private final ExpiryCalculator expiry;
  private final OutcomePublisher<K, V> publisher;
  private final int pageSize;
  private final Consumer<K> remover;
  private final ArrayDeque<Cache.Entry<K, V>> buffered = new ArrayDeque<>();
  private NamespaceStore.ScanPage page;
  private Cache.Entry<K, V> last;

  /** {@code remover} removes a key from the cache, as {@link #remove()} asks. */
  EntryIterator(NamespaceStore store, CacheReads<K, V> reads, KeyEncoder keys, ExpiryCalculator expiry,
      OutcomePublisher<K, V> publisher, int pageSize, Consumer<K> remover) {
    this.store = requireNonNull(store, "store");
    this.reads = requireNonNull(reads, "reads");
    this.keys = requireNonNull(keys, "keys");
    this.expiry = requireNonNull(expiry, "expiry");
    this.publisher = requireNonNull(publisher, "publisher");
    this.pageSize = pageSize;
    this.remover = requireNonNull(remover, "remover");
  }

  @Override
  public boolean hasNext() {
    while (buffered.isEmpty() && (page == null || !page.isLast())) {
      page = store.scan(page, pageSize);
      List<K> pageKeys = page.encodedKeys().stream().map(reads::decodeKeyOrNull).toList();
      List<StoredEntry> stored = reads.readAllCurrent(pageKeys, page.encodedKeys(), false);
      for (int i = 0; i < stored.size(); i++) {
        V value = stored.get(i).isLive() ? reads.decode(stored.get(i).envelope()) : null;
        if (value != null) {
          K key = pageKeys.get(i) != null ? pageKeys.get(i) : reads.decodeKey(page.encodedKeys().get(i));
          buffered.add(new DistCacheEntry<>(key, value));
        }
      }
    }
    return !buffered.isEmpty();
  }

  @Override
  public Cache.Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    last = buffered.poll();
    publisher.countRead(true);
    publisher.accessed(last.getKey(), null, versionOf(last.getKey()), last.getValue());
    return last;
  }

  private long versionOf(K key) {
    return expiry.isEternal() ? 0 : store.readFromMaster(keys.encode(key), false).version();
  }

  @Override
  public void remove() {
    if (last == null) {
      throw new IllegalStateException("next() has not returned an entry to remove");
    }
    remover.accept(last.getKey());
    last = null;
  }
}
