package io.distcache.jcache;

import io.distcache.jcache.coherence.ChangeLogFollower;
import io.distcache.jcache.coherence.TrackingFollower;
import io.distcache.jcache.configuration.CacheSettings;
import io.distcache.jcache.configuration.ConfigurationException;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.configuration.ProviderSettings;
import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.jcache.contention.Leases;
import io.distcache.jcache.redis.CircuitBreaker;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.jcache.redis.RedisConnections;
import io.distcache.jcache.snapshot.SnapshotHeader;
import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.KeyEncodings;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.codec.ValueCodec;
import io.distcache.protocol.namespace.Namespace;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JCache {@link javax.cache.CacheManager} over one Redis deployment: it owns the Redis
 * connections and the change-log follower shared by its caches, and creates the caches declared in
 * its configuration file at startup.
 */
public final class DistCacheManager implements javax.cache.CacheManager {

  private static final Logger LOG = LoggerFactory.getLogger(DistCacheManager.class);
  /** How long an invalidation marker refuses older fills; far above any healthy replication lag. */
  private static final Duration MARKER_TTL = Duration.ofSeconds(30);

  private final CachingProvider provider;
  /** Tells the provider this manager closed, so that its next request creates a new one. */
  private final Consumer<DistCacheManager> onClose;
  private final URI uri;
  /** The URI for thread names and messages: a Redis URI's password masked. */
  private final String displayUri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final ProviderSettings settings;
  private final RedisConnections connections;
  private final Map<String, DistCache<?, ?>> caches = new ConcurrentHashMap<>();
  /** Renews the per-key leases its caches hold; its one thread starts with the first lease. */
  private final ScheduledThreadPoolExecutor leaseRenewals = daemonScheduler("distcache-lease-renewal");
  /**
   * Sweeps expired near entries, writes near-cache snapshots and expires restored ones; its one thread starts with
   * the first task.
   */
  private final ScheduledThreadPoolExecutor nearMaintenance = daemonScheduler("distcache-near-maintenance");
  /** Started with the first cache; read by metrics and health checks on other threads. */
  private volatile ChangeLogFollower follower;
  private TrackingFollower tracking;
  private volatile boolean closed;

  /**
   * Creates the manager; the caches its configuration declares are created now.
   *
   * @param provider the provider that owns it
   * @param onClose called once when it closes
   */
  public DistCacheManager(CachingProvider provider, Consumer<DistCacheManager> onClose, URI uri,
      ClassLoader classLoader, Properties properties, ProviderSettings settings) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.onClose = Objects.requireNonNull(onClose, "onClose");
    this.uri = Objects.requireNonNull(uri, "uri");
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    this.properties = Objects.requireNonNull(properties, "properties");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.displayUri = uri.getScheme() != null && uri.getScheme().startsWith("redis")
        ? settings.redisUriForDisplay() : uri.toString();
    this.connections = new RedisConnections(settings);
    settings.caches().forEach((name, cacheSettings) -> createCache(name, declaredConfiguration(cacheSettings)));
  }

  private DistCacheConfiguration<Object, Object> declaredConfiguration(CacheSettings cacheSettings) {
    DistCacheConfiguration<Object, Object> configuration = new DistCacheConfiguration<>();
    configuration.setTypes(type(cacheSettings.keyType()), type(cacheSettings.valueType()));
    configuration.setStoreByValue(cacheSettings.storeByValue());
    configuration.setStatisticsEnabled(cacheSettings.statisticsEnabled());
    configuration.setManagementEnabled(cacheSettings.managementEnabled());
    return configuration;
  }

  @SuppressWarnings("unchecked")
  private Class<Object> type(String className) {
    try {
      return (Class<Object>) Class.forName(className, false, classLoader);
    } catch (ClassNotFoundException e) {
      throw new ConfigurationException("key-type/value-type '" + className + "' in " + settings.source()
          + " is not on the class path; fix the class name or add the class", e);
    }
  }

  /** The settings this manager was created with. */
  public ProviderSettings settings() {
    return settings;
  }

  /**
   * The change-log follower shared by this manager's caches (its state, for metrics and health checks), or
   * {@code null} before the first cache is created.
   */
  public ChangeLogFollower changeLogFollower() {
    return follower;
  }

  /** The state of the circuit breaker in front of this manager's Redis (for metrics and health checks). */
  public CircuitBreaker.State breakerState() {
    return connections.breaker().state();
  }

  /**
   * Whether reads meant for replicas go to the master now, because the replicas trail it, do not answer, or may
   * still hold data the namespace lost (for metrics and health checks).
   */
  public boolean replicaReadsOnMaster() {
    return connections.replicasLagging();
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(configuration, "configuration");
    DistCache<K, V> cache;
    boolean startKnown;
    synchronized (caches) {
      if (caches.containsKey(cacheName)) {
        throw new CacheException("a cache named '" + cacheName + "' already exists in CacheManager " + displayUri
            + "; use getCache to obtain it");
      }
      DistCacheConfiguration<K, V> copy = copyOf(configuration);
      CacheSettings cacheSettings = copy.resolve(settings.forCache(cacheName));
      Namespace namespace = Namespace.of(settings.keyPrefix(),
          cacheSettings.namespace() != null ? cacheSettings.namespace() : Namespace.escape(cacheName));
      NamespaceStore store = new NamespaceStore(connections, namespace, cacheSettings.readFrom(),
          cacheSettings.commandTimeout(), settings.changeLogMaxLength(), cacheName, settings.outage().replicaMaxLag());
      Leases leases = new Leases(store, settings.contention(), leaseRenewals, cacheName);
      cache = new DistCache<>(cacheName, this, this::released, copy, cacheSettings, store,
          codecFor(copy, cacheSettings), connections.breaker(), MARKER_TTL, settings.contention(), leases,
          settings.onUndecodable(), settings.outage().staleOnFailure());
      startKnown = follow(cache, store);
      caches.put(cacheName, cache);
      LOG.debug("created cache '{}' over namespace {}", cacheName, namespace);
    }
    // After the change log is followed, and outside the lock: other caches need not wait for this one's replay or
    // preload.
    if (startKnown) {
      cache.maintenance().awaitReplay(cache.settings().commandTimeout());
    }
    cache.maintenance().startPreload();
    return cache;
  }

  private static ScheduledThreadPoolExecutor daemonScheduler(String threadName) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, threadName);
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  private static <K, V> DistCacheConfiguration<K, V> copyOf(Configuration<K, V> configuration) {
    if (configuration instanceof CompleteConfiguration<K, V> complete) {
      return new DistCacheConfiguration<>(complete);
    }
    MutableConfiguration<K, V> basic = new MutableConfiguration<K, V>()
        .setTypes(configuration.getKeyType(), configuration.getValueType())
        .setStoreByValue(configuration.isStoreByValue());
    return new DistCacheConfiguration<>(basic);
  }

  private ValueCodec codecFor(CompleteConfiguration<?, ?> configuration, CacheSettings cacheSettings) {
    List<String> declaredTypes = new ArrayList<>(settings.allowedClasses());
    declaredTypes.add(configuration.getKeyType().getName());
    declaredTypes.add(configuration.getValueType().getName());
    ClassAllowList allowList = ClassAllowList.defaults()
        .withPackages(settings.allowedPackages())
        .withPackages(KeyEncodings.installedNextTo(DistCache.class).allowedPackages())
        .withClasses(declaredTypes)
        .withDomainClasses();
    return new KryoValueCodec(allowList, cacheSettings.compressionThreshold(), classLoader, settings.codecLimits(),
        settings.codecFormat());
  }

  /**
   * Starts following the cache's namespace.
   *
   * @return whether the log's end was known (Redis answered): only then may the caller wait for the replay
   */
  private boolean follow(DistCache<?, ?> cache, NamespaceStore store) {
    String fromId;
    String generation;
    SnapshotHeader restored = null;
    boolean startKnown = true;
    try {
      generation = store.generation();
      fromId = store.lastLogId();
    } catch (CacheException e) {
      // Redis is down: the near cache starts from its snapshot, if it has one, and resumes the log where the
      // snapshot stood; else it starts empty, so replaying the whole capped log later, and learning the
      // generation on the follower's first check, only drop what we do not hold yet.
      startKnown = false;
      restored = cache.maintenance().restoreSnapshot(nearMaintenance);
      LOG.warn("cache '{}': cannot read the change-log position now ({}); following from {}", cache.getName(),
          e.getMessage(), restored == null ? "the start" : "its snapshot's id " + restored.logId());
      fromId = restored == null ? "0-0" : restored.logId();
      generation = restored == null || restored.generation().isEmpty() ? null : restored.generation();
    }
    if (follower == null) {
      follower = new ChangeLogFollower(connections, displayUri, Namespace.heartbeatKey(settings.keyPrefix()),
          settings.outage().replicaMaxLag());
    }
    Namespace namespace = store.namespace();
    // A replica may trail unnoticed this long: the writes it lacks were logged within it
    Duration replay = cache.settings().readFrom() == ReadFrom.MASTER
        ? Duration.ZERO : NamespaceStore.unnoticedLag(settings.outage().replicaMaxLag());
    if (startKnown && !replay.isZero() && follower.position(namespace) != null) {
      // Another cache of this manager follows the namespace: the replay would be read again for its listeners too,
      // and hold back their changes for as long as it takes. This cache reads the master instead, for as long as a
      // replica may trail unnoticed (as after a flush), and takes fills once the follower has passed its start.
      store.readMasterUntilReplicasCaughtUp();
      replay = Duration.ZERO;
    }
    if (restored != null) {
      cache.maintenance().followFrom(follower.resume(namespace, fromId, replay, generation, cache.changeListener()));
    } else if (!startKnown) {
      cache.maintenance().followFrom(follower.followFromTheStart(namespace, cache.changeListener()));
    } else {
      cache.maintenance().followFrom(follower.follow(namespace, fromId, replay, generation, cache.changeListener()));
    }
    ChangeLogFollower currentFollower = follower;
    cache.maintenance().startSnapshots(() -> currentFollower.position(store.namespace()), nearMaintenance);
    cache.maintenance().startSweeps(nearMaintenance);
    if (settings.trackedNamespaces().contains(namespace.name())) {
      if (tracking == null) {
        tracking = new TrackingFollower(connections, displayUri);
      }
      tracking.track(namespace.entryPrefix(), cache.changeListener());
    }
    return startKnown;
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    requireOpen();
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    Cache<K, V> cache = getCache(cacheName);
    if (cache == null) {
      return null;
    }
    CompleteConfiguration<?, ?> configuration = cache.getConfiguration(CompleteConfiguration.class);
    if (!keyType.equals(configuration.getKeyType()) || !valueType.equals(configuration.getValueType())) {
      throw new ClassCastException("cache '" + cacheName + "' holds " + configuration.getKeyType().getName()
          + " -> " + configuration.getValueType().getName() + ", not " + keyType.getName() + " -> "
          + valueType.getName());
    }
    return cache;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    return (Cache<K, V>) caches.get(cacheName);
  }

  @Override
  public Iterable<String> getCacheNames() {
    requireOpen();
    return Collections.unmodifiableList(new ArrayList<>(caches.keySet()));
  }

  @Override
  public void destroyCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    DistCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.clear();
      cache.close();
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    requireOpen();
    DistCache<?, ?> cache = caches.get(Objects.requireNonNull(cacheName, "cacheName"));
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    requireOpen();
    DistCache<?, ?> cache = caches.get(Objects.requireNonNull(cacheName, "cacheName"));
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  /** Called by a cache when it closes. */
  void released(DistCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
    if (follower != null) {
      follower.unfollow(cache.store().namespace(), cache.changeListener());
    }
    if (tracking != null) {
      tracking.untrack(cache.store().namespace().entryPrefix(), cache.changeListener());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (DistCache<?, ?> cache : new ArrayList<>(caches.values())) {
      cache.close();
    }
    if (follower != null) {
      follower.close();
    }
    if (tracking != null) {
      tracking.close();
    }
    leaseRenewals.shutdownNow();
    nearMaintenance.shutdownNow();
    connections.close();
    onClose.accept(this);
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
    throw new IllegalArgumentException("CacheManager " + displayUri + " cannot be unwrapped to " + clazz.getName());
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("CacheManager " + displayUri + " is closed");
    }
  }

  @Override
  public String toString() {
    return "DistCacheManager{uri=" + displayUri + ", redis=" + settings.redisUriForDisplay() + '}';
  }
}
