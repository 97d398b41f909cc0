package io.distcache.benchmarks.peer;

import io.distcache.benchmarks.data.Payload;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.jcache.JCachingProvider;
import org.redisson.jcache.configuration.RedissonConfiguration;

/** Redisson's JCache ({@code org.redisson:redisson}) on the run's Redis, with Redisson's default codec. */
public final class RedissonPeer {

  private RedissonPeer() {
  }

  /** Opens cache {@code name} over a new Redisson client; closing the cache shuts the client down. */
  public static OpenCache open(String name) {
    Config config = new Config();
    config.useSingleServer().setAddress(RedisEndpoint.uri());
    RedissonClient client = Redisson.create(config);
    JCachingProvider provider = new JCachingProvider();
    CacheManager manager = provider.getCacheManager();
    MutableConfiguration<String, Payload> configuration = new MutableConfiguration<String, Payload>()
        .setTypes(String.class, Payload.class);
    return new OpenCache(provider, manager,
        manager.createCache(name, RedissonConfiguration.fromInstance(client, configuration)), client::shutdown);
  }
}
