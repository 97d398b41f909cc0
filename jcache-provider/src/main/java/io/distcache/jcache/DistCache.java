package io.distcache.jcache;

import io.distcache.jcache.coherence.ChangeListener;
import io.distcache.jcache.coherence.FlushCause;
import io.distcache.jcache.configuration.CacheSettings;
import io.distcache.jcache.configuration.ContentionSettings;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.configuration.OnUndecodable;
import io.distcache.jcache.configuration.Preload;
import io.distcache.jcache.contention.Leases;
import io.distcache.jcache.counters.CacheMetrics;
import io.distcache.jcache.event.EventDispatcher;
import io.distcache.jcache.expiry.ExpiryCalculator;
import io.distcache.jcache.integration.LoaderWriter;
import io.distcache.jcache.management.JCacheMXBean;
import io.distcache.jcache.management.JCacheStatistics;
import io.distcache.jcache.management.JmxRegistration;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.near.NearEntry;
import io.distcache.jcache.redis.CircuitBreaker;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.jcache.redis.StoredEntry;
import io.distcache.protocol.codec.KeyEncoder;
import io.distcache.protocol.codec.KeyEncodings;
import io.distcache.protocol.codec.ValueCodec;
import io.distcache.protocol.namespace.Namespace;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JCache {@link Cache}: a Caffeine near cache in this JVM over one Redis namespace.
 *
 * <p>Reads try the near cache, then Redis (per the cache's read-from setting), and fill the near
 * cache. Every write goes to the master through one atomic script that checks the entry's version
 * (compare-and-set), stores the new value with a new version and appends the change to the
 * namespace's change log, which other CacheManagers follow to drop their near copies. Operations
 * the specification makes conditional ({@code putIfAbsent}, {@code replace}, {@code invoke}, ...) read
 * the master, decide in this JVM and retry when another writer got in between, so they are atomic
 * per key across JVMs.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class DistCache<K, V> implements Cache<K, V> {

  private static final int SCAN_BATCH = 500;
  private static final Logger LOG = LoggerFactory.getLogger(DistCache.class);

  private final String name;
  private final CacheManager manager;
  /** Told when this cache closes: the manager forgets it and stops following its namespace for it. */
  private final Consumer<DistCache<?, ?>> onClose;
  private final DistCacheConfiguration<K, V> configuration;
  private final CacheSettings settings;
  private final NamespaceStore store;
  private final NearCache<K> near;
  private final KeyEncoder keys;
  private final EntryTypes<K, V> types;
  private final ExpiryCalculator expiry;
  private final LoaderWriter<K, V> loaderWriter;
  private final EventDispatcher<K, V> dispatcher;
  private final JCacheStatistics statistics;
  private final CacheMetrics metrics = new CacheMetrics();
  private final JCacheMXBean cacheMXBean;
  private final boolean readThrough;
  private final Leases leases;
  private final boolean leaseWrites;
  private final EntryUpdater<K, V> updater;
  private final ReadThrough<K, V> loading;
  private final NearMaintenance<K> maintenance;
  private final NearCoherence<K> coherence;
  private final CacheReads<K, V> reads;
  private final OutcomePublisher<K, V> publisher;
  private final BulkWrites<K, V> bulk;
  private final NearHits<K> hits;
  private final BulkReads<K, V> bulkReads;
  private final DirectWrites<K, V> direct;
  private final WriteDecisions<V> decisions;
  private final EntryProcessing<K, V> processing;
  private volatile boolean closed;

  DistCache(String name, CacheManager manager, Consumer<DistCache<?, ?>> onClose,
      DistCacheConfiguration<K, V> configuration, CacheSettings settings, NamespaceStore store, ValueCodec codec,
      CircuitBreaker breaker, Duration markerTtl, ContentionSettings contention, Leases leases,
      OnUndecodable onUndecodable, Duration staleOnFailure) {
    this.name = Objects.requireNonNull(name, "name");
    Objects.requireNonNull(breaker, "breaker");
    this.manager = Objects.requireNonNull(manager, "manager");
    this.onClose = Objects.requireNonNull(onClose, "onClose");
    this.configuration = Objects.requireNonNull(configuration, "configuration");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = Objects.requireNonNull(store, "store");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(contention, "contention");
    Objects.requireNonNull(staleOnFailure, "staleOnFailure");
    this.keys = new KeyEncoder(codec, KeyEncodings.installedNextTo(DistCache.class));
    this.types = new EntryTypes<>(name, configuration);
    this.expiry = ExpiryCalculator.create(name, configuration.getExpiryPolicyFactory());
    this.near = new NearCache<>(settings.nearMaxItems(), settings.nearMaxBytes(), settings.nearMaxTtl(), markerTtl,
        !expiry.isEternal());
    this.readThrough = configuration.isReadThrough() && configuration.getCacheLoaderFactory() != null;
    boolean writeThrough = configuration.isWriteThrough() && configuration.getCacheWriterFactory() != null;
    this.loaderWriter = new LoaderWriter<>(
        configuration.getCacheLoaderFactory() != null ? configuration.getCacheLoaderFactory().create() : null,
        writeThrough ? writer(configuration) : null);
    this.leases = Objects.requireNonNull(leases, "leases");
    this.leaseWrites = settings.lease().leasesWrites(writeThrough);
    this.reads = new CacheReads<>(name, store, near, codec, keys, metrics, settings,
        configuration.isStoreByValue(), Objects.requireNonNull(onUndecodable, "onUndecodable"));
    this.updater = new EntryUpdater<>(name, store, codec, loaderWriter, leases, leaseWrites, contention, metrics,
        reads::valueOf);
    Executor executor = ForkJoinPool.commonPool();
    this.dispatcher = new EventDispatcher<>(executor);
    for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
      dispatcher.register(listener);
    }
    this.statistics = new JCacheStatistics();
    this.publisher = new OutcomePublisher<>(this, store, near, reads, keys, expiry, dispatcher, statistics, metrics);
    this.loading = new ReadThrough<>(publisher, reads, near, types, loaderWriter, updater, leases, store, keys, expiry,
        readThrough && settings.lease().leasesLoads(), dispatcher, executor);
    this.processing = new EntryProcessing<>(keys, expiry, updater, publisher,
        readThrough ? loading::loadForProcessor : null);
    this.decisions = new WriteDecisions<>(expiry);
    this.direct = new DirectWrites<>(store, near, codec, reads, dispatcher, publisher);
    this.hits = new NearHits<>(near, store, breaker);
    this.bulkReads = new BulkReads<>(hits, near, reads, keys, expiry, publisher, statistics, metrics,
        readThrough ? loading : null);
    this.bulk = new BulkWrites<>(keys, store, near, codec, expiry, loaderWriter, updater, dispatcher, reads, publisher);
    this.cacheMXBean = new JCacheMXBean(this);
    setStatisticsEnabled(configuration.isStatisticsEnabled());
    setManagementEnabled(configuration.isManagementEnabled());
    NearPreloader preloader = settings.near().preload() == Preload.ALL && near.keepsValues()
        ? new NearPreloader(name, store, near, metrics, settings.nearMaxTtl(),
            new PreloadPages<>(name, store, near, reads, expiry, this::replayed))
        : null;
    NearSnapshots<K> snapshots = settings.near().snapshotDir() != null && near.keepsValues()
        ? new NearSnapshots<>(name, settings.near().snapshotDir(), store, near, breaker, staleOnFailure,
            settings.nearMaxBytes(), new SnapshotEntries<>(keys, reads, codec, this::flushNear))
        : null;
    // Without per-entry expiry, Caffeine keeps expired values until they are replaced or evicted: swept instead
    boolean sweeps = near.keepsValues() && expiry.isEternal();
    this.maintenance = new NearMaintenance<>(name, settings, store, near, sweeps, preloader, snapshots);
    this.coherence = new NearCoherence<>(name, store, near, reads::decodeKey, metrics, preloader, snapshots);
  }

  @SuppressWarnings("unchecked")
  private static <K, V> CacheWriter<K, V> writer(DistCacheConfiguration<K, V> configuration) {
    // The specification types the writer as CacheWriter<? super K, ? super V>; it only ever receives K and V.
    return (CacheWriter<K, V>) configuration.getCacheWriterFactory().create();
  }

  /** The namespace store (tests and integrations). */
  NamespaceStore store() {
    return store;
  }

  /**
   * The namespace layout in the key space reads use now (tools and tests; a value planted in the near cache
   * is served only when filled with this as its space).
   */
  public Namespace layout() {
    return store.namespace();
  }

  /**
   * The near copy of a key in the layout reads use now, or {@code null} (tests and tools), whether or not a read
   * may serve it during an outage ({@code outage.stale-on-failure}). No I/O.
   */
  public NearEntry.Present nearCopy(K key) {
    return near.get(key, store.namespace());
  }

  /** The near cache (tests and metrics); read a key's servable copy with {@link #nearCopy}. */
  public NearCache<K> nearCache() {
    return near;
  }

  /** The counters published by {@link io.distcache.jcache.metrics.DistCacheMetrics}. */
  public CacheMetrics metrics() {
    return metrics;
  }

  /** How many per-key leases this cache took only after waiting for another holder. */
  public long leaseWaits() {
    return leases.waits();
  }

  /** The resolved settings of this cache. */
  public CacheSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    requireOpen();
    types.requireKey(key);
    long start = statistics.startTiming();
    V value = getInternal(key);
    statistics.recordGetTimeSince(start);
    dispatcher.awaitSynchronous();
    return value;
  }

  private V getInternal(K key) {
    NearEntry.Present cached = hits.present(key);
    if (cached != null) {
      metrics.nearHit();
      statistics.recordHits(1);
      V value = NearHits.valueOf(cached);
      publisher.accessed(key, null, cached.version(), value);
      return value;
    }
    if (hits.knownAbsent(key)) {
      metrics.absentHit();
      statistics.recordMisses(1);
      return readThrough ? loading.load(key, keys.encode(key)) : null;
    }
    String encodedKey = keys.encode(key);
    long ticket = near.ticket();
    long readStart = System.nanoTime();
    StoredEntry stored = reads.readCurrent(key, encodedKey, !expiry.isEternal());
    metrics.remoteRead(stored.isLive() ? 1 : 0, stored.isLive() ? 0 : 1, System.nanoTime() - readStart);
    V value = stored.isLive() ? reads.fill(key, stored, ticket) : reads.rememberAbsence(key, stored, ticket);
    if (value != null) {
      statistics.recordHits(1);
      publisher.accessed(key, encodedKey, stored.version(), value);
      return value;
    }
    statistics.recordMisses(1);
    return readThrough ? loading.load(key, encodedKey) : null;
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keySet) {
    requireOpen();
    Objects.requireNonNull(keySet, "keys");
    keySet.forEach(types::requireKey);
    long start = statistics.startTiming();
    Map<K, V> result = bulkReads.getAll(keySet);
    statistics.recordGetTimeSince(start);
    dispatcher.awaitSynchronous();
    return result;
  }

  @Override
  public boolean containsKey(K key) {
    requireOpen();
    types.requireKey(key);
    if (hits.present(key) != null) {
      return true;
    }
    if (hits.knownAbsent(key)) {
      return false;
    }
    long ticket = near.ticket();
    StoredEntry stored = reads.readCurrent(key, keys.encode(key), false);
    if (!stored.isLive()) {
      reads.rememberAbsence(key, stored, ticket);
    }
    return stored.isLive();
  }

  @Override
  public void loadAll(Set<? extends K> keySet, boolean replaceExisting, CompletionListener listener) {
    requireOpen();
    Objects.requireNonNull(keySet, "keys");
    keySet.forEach(types::requireKey);
    loading.loadAllInBackground(keySet, replaceExisting, listener == null ? NoCompletion.INSTANCE : listener);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void put(K key, V value) {
    putInternal(key, value, false);
  }

  @Override
  public V getAndPut(K key, V value) {
    return putInternal(key, value, true);
  }

  private V putInternal(K key, V value, boolean wantOld) {
    requireOpen();
    types.requireKey(key);
    types.requireValue(value);
    long start = statistics.startTiming();
    String encodedKey = keys.encode(key);
    V old;
    if (expiry.isEternal() && !leaseWrites) {
      old = direct.put(key, encodedKey, value, wantOld);
    } else {
      old = apply(key, encodedKey, false, decisions.put(value));
    }
    if (wantOld) {
      publisher.countRead(old != null);
    }
    statistics.recordPutTimeSince(start);
    dispatcher.awaitSynchronous();
    return old;
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireOpen();
    Objects.requireNonNull(map, "map");
    map.forEach((key, value) -> {
      types.requireKey(key);
      types.requireValue(value);
    });
    long start = statistics.startTiming();
    CacheWriterException failure = bulk.putAll(map);
    statistics.recordPutTimeSince(start);
    dispatcher.awaitSynchronous();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireOpen();
    types.requireKey(key);
    types.requireValue(value);
    long start = statistics.startTiming();
    boolean stored = apply(key, keys.encode(key), false, decisions.putIfAbsent(value));
    publisher.countRead(!stored);
    statistics.recordPutTimeSince(start);
    dispatcher.awaitSynchronous();
    return stored;
  }

  @Override
  public boolean remove(K key) {
    requireOpen();
    types.requireKey(key);
    long start = statistics.startTiming();
    boolean removed = removeUnconditionally(key, keys.encode(key)) != null;
    statistics.recordRemoveTimeSince(start);
    dispatcher.awaitSynchronous();
    return removed;
  }

  /**
   * Deletes the entry whatever its version, through the writer (which JSR-107 calls even for an absent key);
   * returns what was there (a present-but-unknown marker when not fetched).
   */
  private Current<V> removeUnconditionally(K key, String encodedKey) {
    if (leaseWrites) {
      return apply(key, encodedKey, false, decisions.remove());
    }
    return direct.remove(key, encodedKey);
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireOpen();
    types.requireKey(key);
    types.requireValue(oldValue);
    long start = statistics.startTiming();
    boolean removed = apply(key, keys.encode(key), true, decisions.removeIfEquals(oldValue));
    statistics.recordRemoveTimeSince(start);
    dispatcher.awaitSynchronous();
    return removed;
  }

  @Override
  public V getAndRemove(K key) {
    requireOpen();
    types.requireKey(key);
    long start = statistics.startTiming();
    String encodedKey = keys.encode(key);
    V old = leaseWrites
        ? apply(key, encodedKey, false, decisions.getAndRemove())
        : direct.getAndRemove(key, encodedKey);
    publisher.countRead(old != null);
    if (statistics.isEnabled()) {
      long elapsed = System.nanoTime() - start;
      statistics.recordGetTime(elapsed);
      statistics.recordRemoveTime(elapsed);
    }
    dispatcher.awaitSynchronous();
    return old;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireOpen();
    types.requireKey(key);
    types.requireValue(oldValue);
    types.requireValue(newValue);
    long start = statistics.startTiming();
    boolean replaced = apply(key, keys.encode(key), true, decisions.replaceIfEquals(oldValue, newValue));
    statistics.recordPutTimeSince(start);
    dispatcher.awaitSynchronous();
    return replaced;
  }

  @Override
  public boolean replace(K key, V value) {
    requireOpen();
    types.requireKey(key);
    types.requireValue(value);
    long start = statistics.startTiming();
    boolean replaced = apply(key, keys.encode(key), false, decisions.replace(value));
    publisher.countRead(replaced);
    statistics.recordPutTimeSince(start);
    dispatcher.awaitSynchronous();
    return replaced;
  }

  @Override
  public V getAndReplace(K key, V value) {
    requireOpen();
    types.requireKey(key);
    types.requireValue(value);
    long start = statistics.startTiming();
    V old = apply(key, keys.encode(key), false, decisions.getAndReplace(value));
    publisher.countRead(old != null);
    if (statistics.isEnabled()) {
      long elapsed = System.nanoTime() - start;
      statistics.recordGetTime(elapsed);
      statistics.recordPutTime(elapsed);
    }
    dispatcher.awaitSynchronous();
    return old;
  }

  @Override
  public void removeAll(Set<? extends K> keySet) {
    requireOpen();
    Objects.requireNonNull(keySet, "keys");
    keySet.forEach(types::requireKey);
    long start = statistics.startTiming();
    bulk.removeAll(new ArrayList<>(keySet));
    statistics.recordRemoveTimeSince(start);
    dispatcher.awaitSynchronous();
  }

  @Override
  public void removeAll() {
    requireOpen();
    long start = statistics.startTiming();
    bulk.removeEveryEntry(SCAN_BATCH);
    statistics.recordRemoveTimeSince(start);
    dispatcher.awaitSynchronous();
  }

  @Override
  public void clear() {
    requireOpen();
    near.clear(store.clear(SCAN_BATCH));
  }

  // ---------------------------------------------------------------- entry processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    requireOpen();
    types.requireKey(key);
    Objects.requireNonNull(processor, "entryProcessor");
    long start = statistics.startTiming();
    T result;
    try {
      result = processing.invoke(key, processor, arguments);
    } catch (RuntimeException e) {
      dispatcher.ignoreSynchronous();
      throw e;
    }
    statistics.recordGetTimeSince(start);
    dispatcher.awaitSynchronous();
    return result;
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keySet,
      EntryProcessor<K, V, T> processor, Object... arguments) {
    requireOpen();
    Objects.requireNonNull(keySet, "keys");
    keySet.forEach(types::requireKey);
    Objects.requireNonNull(processor, "entryProcessor");
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keySet) {
      try {
        T result = processing.invoke(key, processor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (RuntimeException e) {
        EntryProcessorException failure = e instanceof EntryProcessorException processorFailure
            ? processorFailure : new EntryProcessorException(e);
        results.put(key, () -> {
          throw failure;
        });
      }
    }
    dispatcher.awaitSynchronous();
    return results;
  }

  // ---------------------------------------------------------------- outcomes

  /**
   * Runs a read-decide-write step on one entry ({@link EntryUpdater}) and publishes its outcome.
   *
   * @param countsAsRead whether the operation counts as a cache hit or miss (of the state it acted on)
   */
  private <R> R apply(K key, String encodedKey, boolean countsAsRead, Planner<V, R> planner) {
    return publisher.published(key, encodedKey, countsAsRead, updater.update(key, encodedKey, planner));
  }

  // ---------------------------------------------------------------- iteration

  @Override
  public Iterator<Cache.Entry<K, V>> iterator() {
    requireOpen();
    return new EntryIterator<>(store, reads, keys, expiry, publisher, SCAN_BATCH, this::removeIterated);
  }

  /** Removes the entry an iterator returned last. */
  private void removeIterated(K key) {
    requireOpen();
    removeUnconditionally(key, keys.encode(key));
    dispatcher.awaitSynchronous();
  }

  // ---------------------------------------------------------------- near maintenance and coherence

  /** What keeps the near cache warm and clean: replay hold, preload, snapshot, sweeps (the manager starts them). */
  NearMaintenance<K> maintenance() {
    return maintenance;
  }

  private CompletableFuture<Void> replayed() {
    return maintenance.caughtUp();
  }

  /** Drops the whole near cache, for {@code cause}. */
  private void flushNear(FlushCause cause, String reason) {
    coherence.onReset(cause, reason);
  }

  /** What the manager's change-log follower (and client tracking) calls for this cache's namespace. */
  ChangeListener changeListener() {
    return coherence;
  }

  // ---------------------------------------------------------------- lifecycle and metadata

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    if (clazz.isInstance(configuration)) {
      return clazz.cast(configuration);
    }
    throw new IllegalArgumentException("the configuration of cache '" + name + "' is a "
        + configuration.getClass().getName() + ", not a " + clazz.getName());
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    requireOpen();
    Objects.requireNonNull(listenerConfiguration, "listenerConfiguration");
    dispatcher.register(listenerConfiguration);
    configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    requireOpen();
    Objects.requireNonNull(listenerConfiguration, "listenerConfiguration");
    dispatcher.deregister(listenerConfiguration);
    configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  /** Turns statistics collection and its MXBean on or off. */
  void setStatisticsEnabled(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    statistics.setEnabled(enabled);
    if (enabled) {
      JmxRegistration.register(this, statistics, JmxRegistration.MBeanType.STATISTICS);
    } else {
      JmxRegistration.unregister(this, JmxRegistration.MBeanType.STATISTICS);
    }
  }

  /** Turns the configuration MXBean on or off. */
  void setManagementEnabled(boolean enabled) {
    configuration.setManagementEnabled(enabled);
    if (enabled) {
      JmxRegistration.register(this, cacheMXBean, JmxRegistration.MBeanType.CONFIGURATION);
    } else {
      JmxRegistration.unregister(this, JmxRegistration.MBeanType.CONFIGURATION);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    maintenance.stop();
    JmxRegistration.unregister(this, JmxRegistration.MBeanType.STATISTICS);
    JmxRegistration.unregister(this, JmxRegistration.MBeanType.CONFIGURATION);
    dispatcher.close();
    loaderWriter.close();
    if (expiry.policy() instanceof Closeable) {
      closeQuietly(expiry.policy());
    }
    near.reset();
    onClose.accept(this);
  }

  private static void closeQuietly(Object resource) {
    try {
      ((Closeable) resource).close();
    } catch (IOException e) {
      LOG.warn("closing {} failed", resource, e);
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    if (clazz.isInstance(near)) {
      return clazz.cast(near);
    }
    throw new IllegalArgumentException("cache '" + name + "' cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public String toString() {
    return "DistCache{name=" + name + ", namespace=" + store.namespace() + '}';
  }

  // ---------------------------------------------------------------- helpers

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("cache '" + name + "' is closed");
    }
  }

  private enum NoCompletion implements CompletionListener {
    INSTANCE;

    @Override
    public void onCompletion() {
    }

    @Override
    public void onException(Exception e) {
    }
  }
}
