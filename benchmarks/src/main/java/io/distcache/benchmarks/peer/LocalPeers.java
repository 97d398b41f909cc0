package io.distcache.benchmarks.peer;

import com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider;
import io.distcache.benchmarks.data.Payload;
import com.github.benmanes.caffeine.jcache.configuration.CaffeineConfiguration;
import java.util.OptionalLong;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.ehcache.jsr107.EhcacheCachingProvider;

/** The in-process JCache providers the local-hit rows compare with, configured only through JSR-107. */
public final class LocalPeers {

  private LocalPeers() {
  }

  /**
   * Caffeine's JCache provider ({@code com.github.ben-manes.caffeine:jcache}) as JSR-107 configures it:
   * unbounded; by value it copies with Java serialization.
   */
  public static OpenCache caffeine(String name, boolean storeByValue) {
    return open(new CaffeineCachingProvider(), name, new MutableConfiguration<String, Payload>()
        .setTypes(String.class, Payload.class)
        .setStoreByValue(storeByValue));
  }

  /** Caffeine's JCache provider bounded to {@code maximumSize} entries, like a near cache, through its own configuration class. */
  public static OpenCache caffeineBounded(String name, boolean storeByValue, long maximumSize) {
    return open(new CaffeineCachingProvider(), name, new CaffeineConfiguration<String, Payload>()
        .setTypes(String.class, Payload.class)
        .setStoreByValue(storeByValue)
        .setMaximumSize(OptionalLong.of(maximumSize)));
  }

  /** Ehcache 3's JCache provider, on its default on-heap tier. */
  public static OpenCache ehcache(String name, boolean storeByValue) {
    return open(new EhcacheCachingProvider(), name, new MutableConfiguration<String, Payload>()
        .setTypes(String.class, Payload.class)
        .setStoreByValue(storeByValue));
  }

  private static OpenCache open(CachingProvider provider, String name, Configuration<String, Payload> configuration) {
    CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), LocalPeers.class.getClassLoader());
    return new OpenCache(provider, manager, manager.createCache(name, configuration));
  }
}
