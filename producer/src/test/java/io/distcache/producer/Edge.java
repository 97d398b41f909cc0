package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.DistCache;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;

/** An edge service: reads a producer namespace through javax.cache only. */
final class Edge implements NamespaceReader {

  private final CacheManager manager;
  private final Cache<String, Map<String, Object>> users;

  Edge(String redisUri, String namespace) {
    this(redisUri, namespace, new Properties());
  }

  private Edge(String redisUri, String namespace, Properties settings) {
    this(redisUri, namespace, settings, Edge.class.getClassLoader());
  }

  private Edge(String redisUri, String namespace, Properties settings, ClassLoader classLoader) {
    manager = Caching.getCachingProvider("io.distcache.jcache.spi.DistCachingProvider")
        .getCacheManager(URI.create(redisUri), classLoader, settings);
    users = manager.createCache("users-" + namespace,
        new DistCacheConfiguration<String, Map<String, Object>>().setNamespace(namespace));
  }

  /** An edge on a Redis Cluster: {@code seedsUri} lists its seed nodes. */
  static Edge onCluster(String seedsUri, String namespace) {
    Properties settings = new Properties();
    settings.setProperty("redis.cluster", "true");
    return new Edge(seedsUri, namespace, settings);
  }

  /**
   * An edge with a CacheManager of its own (JSR-107 shares one per URI and class loader), as a second
   * service, or a second instance of one, would have.
   */
  static Edge separate(String redisUri, String namespace) {
    return new Edge(redisUri, namespace, new Properties(), new ClassLoader(Edge.class.getClassLoader()) { });
  }

  /** Whether the edge serves near copies of a namespace that lost its data, marked stale, until it is rebuilt. */
  boolean stale() {
    return users.unwrap(DistCache.class).metrics().stale();
  }

  Map<String, Object> get(long id) {
    return users.get("user:" + id);
  }

  void put(long id, Map<String, Object> row) {
    users.put("user:" + id, row);
  }

  boolean remove(long id) {
    return users.remove("user:" + id);
  }

  @Override
  public void assertEquals(Map<Long, Map<String, Object>> expected, Set<Long> ids) {
    List<Long> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += 1000) {
      List<Long> chunk = all.subList(from, Math.min(all.size(), from + 1000));
      Set<String> keys = new HashSet<>();
      chunk.forEach(id -> keys.add("user:" + id));
      Map<String, Map<String, Object>> found = users.getAll(keys);
      for (long id : chunk) {
        assertThat(found.get("user:" + id)).as("user:%d", id).isEqualTo(expected.get(id));
      }
    }
  }

  @Override
  public boolean matches(Map<Long, Map<String, Object>> expected, Set<Long> ids) {
    try {
      assertEquals(expected, ids);
      return true;
    } catch (AssertionError | javax.cache.CacheException e) {
      return false;
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
