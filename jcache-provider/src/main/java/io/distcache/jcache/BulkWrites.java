package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.contention.ContentionException;
import io.distcache.jcache.contention.Lease;
import io.distcache.jcache.event.EventDispatcher;
import io.distcache.jcache.expiry.ExpiryCalculator;
import io.distcache.jcache.integration.LoaderWriter;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.redis.Mutation;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.protocol.codec.EncodedValue;
import io.distcache.protocol.codec.KeyEncoder;
import io.distcache.protocol.codec.ValueCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.cache.Cache;
import javax.cache.event.EventType;
import javax.cache.integration.CacheWriterException;

/**
 * A cache's batch writes, {@code putAll} and {@code removeAll}: through the writer's {@code writeAll} or
 * {@code deleteAll} first (JSR-107: writer, then cache), then in Redis, fenced on the keys' leases when the cache
 * leases writes; what the writer failed to write is not stored. Eternal entries go in one pipelined round trip per
 * batch (a script call per key), others one read-decide-write step each (their expiry depends on whether the entry
 * exists).
 */
final class BulkWrites<K, V> {

  private final KeyEncoder keys;
  private final NamespaceStore store;
  private final NearCache<K> near;
  private final ValueCodec codec;
  private final ExpiryCalculator expiry;
  private final LoaderWriter<K, V> loaderWriter;
  private final EntryUpdater<K, V> updater;
  private final EventDispatcher<K, V> dispatcher;
  private final CacheReads<K, V> reads;
  private final OutcomePublisher<K, V> publisher;

  BulkWrites(KeyEncoder keys, NamespaceStore store, NearCache<K> near, ValueCodec codec, ExpiryCalculator expiry,
      LoaderWriter<K, V> loaderWriter, EntryUpdater<K, V> updater, EventDispatcher<K, V> dispatcher,
      CacheReads<K, V> reads, OutcomePublisher<K, V> publisher) {
    this.keys = requireNonNull(keys, "keys");
    this.store = requireNonNull(store, "store");
    this.near = requireNonNull(near, "near");
    this.codec = requireNonNull(codec, "codec");
    this.expiry = requireNonNull(expiry, "expiry");
    this.loaderWriter = requireNonNull(loaderWriter, "loaderWriter");
    this.updater = requireNonNull(updater, "updater");
    this.dispatcher = requireNonNull(dispatcher, "dispatcher");
    this.reads = requireNonNull(reads, "reads");
    this.publisher = requireNonNull(publisher, "publisher");
  }

  /**
   * Writes the entries through the writer's {@code writeAll}, then stores those it wrote.
   *
   * @return the writer's failure, for the caller to throw once the stored entries' events are delivered
   */
  CacheWriterException putAll(Map<? extends K, ? extends V> map) {
    return holdingLeases(new ArrayList<>(map.keySet()), held -> putAllThroughWriter(map, held));
  }

  private CacheWriterException putAllThroughWriter(Map<? extends K, ? extends V> map, Map<String, Lease> held) {
    List<Cache.Entry<? extends K, ? extends V>> toWrite = new ArrayList<>();
    map.forEach((key, value) -> toWrite.add(new DistCacheEntry<>(key, value)));
    CacheWriterException failure = loaderWriter.writeAll(toWrite);
    Map<K, V> written = new LinkedHashMap<>(map);
    if (failure != null) {
      toWrite.forEach(unwritten -> written.remove(unwritten.getKey()));
    }
    try {
      putAllWritten(written, held);
    } catch (ContentionException e) {
      if (failure != null) {
        e.addSuppressed(failure);
      }
      throw e;
    }
    return failure;
  }

  /**
   * Stores entries already written through, fenced on their leases when {@code held} has them.
   *
   * @param held the leases of the keys by encoded key, empty when the cache does not lease writes
   */
  private void putAllWritten(Map<K, V> entries, Map<String, Lease> held) {
    if (entries.isEmpty()) {
      return;
    }
    List<K> keyList = new ArrayList<>(entries.keySet());
    List<String> encodedKeys = keyList.stream().map(keys::encode).toList();
    if (!expiry.isEternal()) {
      ContentionException lost = null;
      for (int i = 0; i < keyList.size(); i++) {
        K key = keyList.get(i);
        V value = entries.get(key);
        Lease lease = held.get(encodedKeys.get(i));
        try {
          publisher.published(key, encodedKeys.get(i), false, updater.updateFrom(key, encodedKeys.get(i),
              current -> Plan.set(value, current == null ? expiry.creation() : expiry.update(), null),
              lease == null ? store.readFromMaster(encodedKeys.get(i), false) : lease.current(), lease));
        } catch (ContentionException e) {
          // The other keys, already written through, are still stored.
          lost = lost == null ? e : lost;
        }
      }
      if (lost != null) {
        throw lost;
      }
      return;
    }
    boolean needOld = dispatcher.hasListenerFor(EventType.UPDATED);
    List<EncodedValue> encoded = new ArrayList<>(keyList.size());
    List<Mutation> mutations = new ArrayList<>(keyList.size());
    for (int i = 0; i < keyList.size(); i++) {
      EncodedValue value = codec.encode(entries.get(keyList.get(i)));
      encoded.add(value);
      mutations.add(EntryUpdater.fenced(Mutation.set(encodedKeys.get(i), value, Mutation.KEEP_TTL, needOld), held));
    }
    List<Mutation.Result> results = store.mutateAll(mutations);
    K lost = null;
    for (int i = 0; i < keyList.size(); i++) {
      Mutation.Result result = results.get(i);
      if (!carriedOut(held, encodedKeys.get(i), result)) {
        lost = lost == null ? keyList.get(i) : lost;
        continue;
      }
      Current<V> before = result.existed()
          ? new Current<>(result.previous() == null ? null : reads.decode(result.previous()), 0) : null;
      K key = keyList.get(i);
      publisher.committed(key, before, Plan.set(entries.get(key), ExpiryCalculator.ETERNAL, null), encoded.get(i),
          result.version());
    }
    if (lost != null) {
      throw updater.leaseLost(lost);
    }
  }

  /** Deletes the keys through the writer's {@code deleteAll}, then from Redis; throws what failed. */
  void removeAll(List<K> keyList) {
    CacheWriterException failure = holdingLeases(keyList, held -> removeAllThroughWriter(keyList, held));
    if (failure != null) {
      throw failure;
    }
  }

  /** Deletes the keys through the writer's {@code deleteAll}, then those it deleted from Redis; returns its failure. */
  private CacheWriterException removeAllThroughWriter(List<K> keyList, Map<String, Lease> held) {
    Collection<K> toDelete = LoaderWriter.mutableCopy(keyList);
    CacheWriterException failure = loaderWriter.deleteAll(toDelete);
    List<K> deleted = new ArrayList<>(keyList);
    if (failure != null) {
      deleted.removeAll(toDelete);
    }
    boolean needOld = dispatcher.hasListenerFor(EventType.REMOVED);
    List<String> encodedKeys = deleted.stream().map(keys::encode).toList();
    List<Mutation> mutations = encodedKeys.stream()
        .map(encodedKey -> EntryUpdater.fenced(Mutation.delete(encodedKey, needOld), held)).toList();
    List<Mutation.Result> results = store.mutateAll(mutations);
    K lost = null;
    for (int i = 0; i < deleted.size(); i++) {
      Mutation.Result result = results.get(i);
      K key = deleted.get(i);
      if (!carriedOut(held, encodedKeys.get(i), result)) {
        lost = lost == null ? key : lost;
        continue;
      }
      if (result.applied()) {
        Current<V> before = new Current<>(result.previous() == null ? null : reads.decode(result.previous()), 0);
        publisher.committed(key, before, Plan.delete(null), null, result.version());
      } else {
        near.removed(key, result.version());
      }
    }
    if (lost != null) {
      ContentionException leaseLost = updater.leaseLost(lost);
      if (failure != null) {
        leaseLost.addSuppressed(failure);
      }
      throw leaseLost;
    }
    return failure;
  }

  /** Deletes every entry of the namespace as {@link #removeAll} does, {@code pageSize} keys ({@code SCAN}) at once. */
  void removeEveryEntry(int pageSize) {
    NamespaceStore.ScanPage page = null;
    do {
      page = store.scan(page, pageSize);
      List<K> batch = new ArrayList<>(page.encodedKeys().size());
      for (String encodedKey : page.encodedKeys()) {
        batch.add(reads.decodeKey(encodedKey));
      }
      removeAll(batch);
    } while (!page.isLast());
  }

  /** Runs a batch write holding the leases of its keys when the cache leases writes ({@link EntryUpdater}). */
  private <T> T holdingLeases(List<K> keyList, Function<Map<String, Lease>, T> action) {
    Map<String, K> byEncodedKey = new LinkedHashMap<>();
    keyList.forEach(key -> byEncodedKey.put(keys.encode(key), key));
    try {
      return updater.holdingLeases(byEncodedKey, action);
    } catch (RuntimeException e) {
      // Events of the keys that did commit are delivered; the caller must not wait for them in a later call.
      dispatcher.ignoreSynchronous();
      throw e;
    }
  }

  /**
   * Whether a batch write of one key was carried out (applied, or found nothing to delete) rather than refused
   * because its lease ran out; notes that an applied fenced write released its lease.
   */
  private static boolean carriedOut(Map<String, Lease> held, String encodedKey, Mutation.Result result) {
    Lease lease = held.get(encodedKey);
    if (lease != null && result.applied()) {
      lease.releasedByWrite();
    }
    return !result.leaseLost();
  }
}
