package io.distcache.jcache;

import io.distcache.jcache.contention.Lease;
import io.distcache.jcache.contention.Leases;
import io.distcache.jcache.event.EventDispatcher;
import io.distcache.jcache.expiry.ExpiryCalculator;
import io.distcache.jcache.integration.LoaderWriter;
import io.distcache.jcache.integration.SingleFlight;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.jcache.redis.ProducerOwnedNamespaceException;
import io.distcache.jcache.redis.StoredEntry;
import io.distcache.protocol.codec.KeyEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CompletionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loading for one cache, as Caffeine's {@code LoadingCacheProxy} is for its cache: keys that missed go through
 * the {@code CacheLoader} and the loaded values are stored, never over a value another writer stored meanwhile
 * (that newer value wins and is the answer). Concurrent misses of a key in this JVM share one load; with
 * {@code lease=loads} (or {@code all}) a fleet that misses a key at once loads it once.
 */
final class ReadThrough<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThrough.class);

  private final OutcomePublisher<K, V> publisher;
  private final CacheReads<K, V> reads;
  private final NearCache<K> near;
  private final EntryTypes<K, V> types;
  private final EventDispatcher<K, V> dispatcher;
  private final Executor executor;
  private final LoaderWriter<K, V> loaderWriter;
  private final EntryUpdater<K, V> updater;
  private final Leases leases;
  private final NamespaceStore store;
  private final KeyEncoder keys;
  private final ExpiryCalculator expiry;
  private final boolean leaseLoads;
  private final SingleFlight<K, V> loads = new SingleFlight<>();
  private volatile boolean warnedNotStored;

  /**
   * Creates the loading of one cache.
   *
   * @param leaseLoads whether a load takes the key's lease, so that a fleet loads a cold key once
   */
  ReadThrough(OutcomePublisher<K, V> publisher, CacheReads<K, V> reads, NearCache<K> near, EntryTypes<K, V> types,
      LoaderWriter<K, V> loaderWriter, EntryUpdater<K, V> updater, Leases leases, NamespaceStore store,
      KeyEncoder keys, ExpiryCalculator expiry, boolean leaseLoads, EventDispatcher<K, V> dispatcher,
      Executor executor) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.reads = Objects.requireNonNull(reads, "reads");
    this.near = Objects.requireNonNull(near, "near");
    this.types = Objects.requireNonNull(types, "types");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.loaderWriter = Objects.requireNonNull(loaderWriter, "loaderWriter");
    this.updater = Objects.requireNonNull(updater, "updater");
    this.leases = Objects.requireNonNull(leases, "leases");
    this.store = Objects.requireNonNull(store, "store");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.expiry = Objects.requireNonNull(expiry, "expiry");
    this.leaseLoads = leaseLoads;
  }

  /**
   * Loads a key that missed and stores the value, unless another writer stored one since: then that newer
   * value wins and is what the caller gets.
   */
  V load(K key, String encodedKey) {
    return loads.run(key, () -> leaseLoads ? loadLeased(key, encodedKey) : loadUnleased(key, encodedKey));
  }

  /** The value an entry processor's {@code getValue} finds for a missing entry: loaded, not stored (it decides). */
  V loadForProcessor(K key) {
    V value = loaderWriter.load(key);
    if (value != null) {
      types.requireValue(value);
    }
    return value;
  }

  /**
   * {@code Cache.loadAll}: loads the keys in the background with the loader's {@code loadAll} (only those absent
   * from Redis unless {@code replaceExisting}) and stores them, then tells {@code completion}, or tells it what
   * failed as a {@link CacheLoaderException}.
   */
  void loadAllInBackground(Set<? extends K> keySet, boolean replaceExisting, CompletionListener completion) {
    if (!loaderWriter.canLoad()) {
      completion.onCompletion();
      return;
    }
    executor.execute(() -> {
      try {
        List<K> toLoad = new ArrayList<>(keySet);
        if (!replaceExisting) {
          List<StoredEntry> stored = reads.readAllCurrent(toLoad, toLoad.stream().map(keys::encode).toList(), false);
          List<K> absent = new ArrayList<>();
          for (int i = 0; i < toLoad.size(); i++) {
            if (!stored.get(i).isLive()) {
              absent.add(toLoad.get(i));
            }
          }
          toLoad = absent;
        }
        if (!toLoad.isEmpty()) {
          loadAndStore(toLoad, replaceExisting);
        }
        dispatcher.awaitSynchronous();
        completion.onCompletion();
      } catch (Exception e) {
        dispatcher.ignoreSynchronous();
        completion.onException(e instanceof CacheLoaderException ? e : new CacheLoaderException(e));
      }
    });
  }

  /**
   * {@code getAll}'s read-through: loads the keys that missed with the loader's {@code loadAll} and stores each
   * value unless another writer stored one meanwhile, as {@link #load} does for one key. Returns the answers:
   * the newer value where another writer won, else the loaded one (unstored in a producer's namespace).
   */
  Map<K, V> loadMissing(List<K> missing) {
    Map<K, V> loaded = loadFound(missing);
    Map<K, V> answers = new LinkedHashMap<>(loaded);
    try {
      for (Map.Entry<K, V> entry : loaded.entrySet()) {
        K key = entry.getKey();
        String encodedKey = keys.encode(key);
        Outcome<V, V> stored = updater.update(key, encodedKey, storeIfAbsent(entry.getValue()));
        answers.put(key, publisher.published(key, encodedKey, false, stored));
      }
    } catch (ProducerOwnedNamespaceException e) {
      notStored(e);
    }
    return answers;
  }

  /**
   * {@code Cache.loadAll}'s load: the loader's {@code loadAll}, stored over existing values with
   * {@code replaceExisting}, else only where still absent. A producer's namespace refuses it
   * ({@link ProducerOwnedNamespaceException}): the store is its purpose.
   */
  private void loadAndStore(List<K> keysToLoad, boolean replaceExisting) {
    for (Map.Entry<K, V> entry : loadFound(keysToLoad).entrySet()) {
      V value = entry.getValue();
      Planner<V, Boolean> planner = replaceExisting
          ? current -> Plan.set(value, current == null ? expiry.creation() : expiry.update(), null)
          : current -> current == null ? Plan.set(value, expiry.creation(), Boolean.TRUE) : Plan.none(Boolean.FALSE);
      String encodedKey = keys.encode(entry.getKey());
      publisher.published(entry.getKey(), encodedKey, false, updater.update(entry.getKey(), encodedKey, planner));
    }
  }

  /**
   * What the loader's {@code loadAll} found for {@code keysToLoad}, without null keys or values.
   *
   * @throws ClassCastException when a value is not of the cache's value type, before anything is stored
   */
  private Map<K, V> loadFound(List<K> keysToLoad) {
    Map<K, V> loaded = loaderWriter.loadAll(keysToLoad);
    Map<K, V> found = new LinkedHashMap<>();
    if (loaded != null) {
      loaded.forEach((key, value) -> {
        if (key != null && value != null) {
          types.requireValue(value);
          found.put(key, value);
        }
      });
    }
    return found;
  }

  private V loadUnleased(K key, String encodedKey) {
    return loadAndStoreIfAbsent(key, encodedKey, () -> store.readFromMaster(encodedKey, false), null);
  }

  /**
   * Loads a missed key holding its lease, so a fleet that misses it at once loads it once: whoever waited
   * for the lease finds the value the holder stored.
   */
  private V loadLeased(K key, String encodedKey) {
    long ticket = near.ticket();
    try (Lease lease = leases.acquire(encodedKey, key)) {
      V found = lease.current().isLive() ? reads.fill(key, lease.current(), ticket) : null;
      if (found != null) {
        return found;
      }
      return loadAndStoreIfAbsent(key, encodedKey, lease::current, lease);
    }
  }

  /**
   * Loads a key and stores the value unless another writer stored one since; returns the value that won, or the
   * loaded one unstored in a producer's namespace.
   *
   * @param current the key's entry in Redis to decide against, asked for once the loader has answered
   * @param lease the key's lease the caller holds, or {@code null}
   */
  private V loadAndStoreIfAbsent(K key, String encodedKey, Supplier<StoredEntry> current, Lease lease) {
    V loaded = loaderWriter.load(key);
    if (loaded == null) {
      return null;
    }
    types.requireValue(loaded);
    try {
      return publisher.published(key, encodedKey, false,
          updater.updateFrom(key, encodedKey, storeIfAbsent(loaded), current.get(), lease));
    } catch (ProducerOwnedNamespaceException e) {
      notStored(e);
      return loaded;
    }
  }

  /**
   * A loaded value for a namespace a producer writes is the caller's answer but is not stored: the
   * producer's topic is the namespace's only source. Said once per cache, at WARN.
   */
  private void notStored(ProducerOwnedNamespaceException e) {
    if (!warnedNotStored) {
      warnedNotStored = true;
      LOG.warn("{}; read-through loads are returned to callers but not stored", e.getMessage());
    }
  }

  /** Stores a loaded value unless another writer stored one meanwhile: then that newer value is the answer. */
  private Planner<V, V> storeIfAbsent(V loaded) {
    return current -> current == null ? Plan.set(loaded, expiry.creation(), loaded) : Plan.none(current.value());
  }
}
