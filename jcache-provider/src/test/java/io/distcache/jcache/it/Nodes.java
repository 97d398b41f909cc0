package io.distcache.jcache.it;

import io.distcache.jcache.DistCache;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * The CacheManagers ("nodes") of one test, all on one Redis deployment, closed together.
 *
 * <p>Each node gets its own class loader, so the provider hands out a separate CacheManager (its own
 * connections, follower thread and near caches) for the same Redis URI, as two JVMs would have.
 */
final class Nodes implements AutoCloseable {

  /** The package of the test value types; nodes allow it unless told otherwise. */
  static final String MODEL_PACKAGE = "io.distcache.jcache.it.model";

  private final String redisUri;
  private final String keyPrefix;
  private final List<CacheManager> managers = new ArrayList<>();

  /**
   * @param redisUri the manager URI, selecting the Redis deployment
   * @param keyPrefix the {@code redis.key-prefix} of every node, unique per test so tests sharing a
   *     server never see each other's data
   */
  Nodes(String redisUri, String keyPrefix) {
    this.redisUri = redisUri;
    this.keyPrefix = keyPrefix;
  }

  /** A new node allowing the model package. */
  CacheManager node() {
    return node("codec.allowed-packages", MODEL_PACKAGE);
  }

  /** A new node with the given settings (key, value, key, value, ...) on top of the key prefix. */
  CacheManager node(String... settings) {
    Properties properties = new Properties();
    properties.setProperty("redis.key-prefix", keyPrefix);
    for (int i = 0; i < settings.length; i += 2) {
      properties.setProperty(settings[i], settings[i + 1]);
    }
    ClassLoader loader = new ClassLoader("node-" + (managers.size() + 1), Nodes.class.getClassLoader()) {
    };
    CacheManager manager = Caching.getCachingProvider()
        .getCacheManager(URI.create(redisUri), loader, properties);
    managers.add(manager);
    return manager;
  }

  /** The provider's cache behind a JCache handle, for near-cache inspection. */
  @SuppressWarnings("unchecked")
  static <K, V> DistCache<K, V> dist(Cache<K, V> cache) {
    return cache.unwrap(DistCache.class);
  }

  @Override
  public void close() {
    managers.forEach(CacheManager::close);
    managers.clear();
  }
}
