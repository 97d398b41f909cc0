package io.distcache.benchmarks.peer;

import io.distcache.benchmarks.data.Payload;
import io.distcache.jcache.DistCache;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.spi.DistCachingProvider;
import java.net.URI;
import java.util.Properties;
import javax.cache.CacheManager;

/** distcache caches on the run's Redis, each from its own provider instance (so each has its own CacheManager). */
public final class DistcachePeer {

  /** Near-cache size for hit rows: room for the whole data set with slack, as a user would size it. */
  public static final long NEAR_ITEMS_FOR_HITS = 20_000;

  private DistcachePeer() {
  }

  /**
   * Opens cache {@code name}.
   *
   * @param nearMaxItems near-cache capacity; {@code 0} keeps nothing near, so every read goes to Redis
   */
  public static OpenCache open(String name, boolean storeByValue, long nearMaxItems) {
    return open(name, storeByValue, nearMaxItems, RedisEndpoint.uri(), new Properties());
  }

  /**
   * Opens cache {@code name} on the Redis at {@code redisUri}, with further provider settings.
   *
   * @param settings provider settings besides the codec's allow-list (e.g. {@code outage.*})
   */
  public static OpenCache open(String name, boolean storeByValue, long nearMaxItems, String redisUri,
      Properties settings) {
    DistCachingProvider provider = new DistCachingProvider();
    Properties properties = new Properties();
    properties.putAll(settings);
    properties.setProperty("codec.allowed-packages", Payload.class.getPackageName());
    CacheManager manager = provider.getCacheManager(URI.create(redisUri),
        DistcachePeer.class.getClassLoader(), properties);
    DistCacheConfiguration<String, Payload> configuration = new DistCacheConfiguration<String, Payload>()
        .setTypes(String.class, Payload.class)
        .setStoreByValue(storeByValue)
        .setNearMaxItems(nearMaxItems);
    return new OpenCache(provider, manager, manager.createCache(name, configuration));
  }

  /**
   * Opens cache {@code name} writing values in the positional codec format (fields by position, as every
   * release before the compatible format did), to measure what the compatible default costs.
   */
  public static OpenCache openPositional(String name, boolean storeByValue, long nearMaxItems) {
    Properties settings = new Properties();
    settings.setProperty("codec.format", "positional");
    return open(name, storeByValue, nearMaxItems, RedisEndpoint.uri(), settings);
  }

  /** The distcache implementation behind an open cache, for near-cache checks. */
  @SuppressWarnings("unchecked")
  public static DistCache<String, Payload> unwrap(OpenCache open) {
    return open.cache().unwrap(DistCache.class);
  }
}
