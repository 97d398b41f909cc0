package io.distcache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.spi.DistCachingProvider;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** Hibernate gets the application's CacheManager only when its region factory is JCache and it names none. */
class SharedCacheManagerCustomizerTest {

  private final DistCachingProvider provider = new DistCachingProvider();
  // No cache is created, so the manager never connects to Redis.
  private final CacheManager manager = provider.getCacheManager(URI.create("shared-test"), getClass().getClassLoader(),
      new Properties());
  private final SharedCacheManagerCustomizer customizer = new SharedCacheManagerCustomizer(
      new StaticListableBeanFactory(Map.of("cacheManager", manager)).getBeanProvider(CacheManager.class));

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void hibernateOnJCacheGetsTheApplicationsManager() {
    Map<String, Object> properties = new HashMap<>(Map.of(SharedCacheManagerCustomizer.REGION_FACTORY, "jcache"));
    customizer.customize(properties);
    assertThat(properties).containsEntry(SharedCacheManagerCustomizer.CACHE_MANAGER, manager);
  }

  @Test
  void anotherRegionFactoryOrANamedManagerIsLeftAlone() {
    Map<String, Object> noCache = new HashMap<>();
    customizer.customize(noCache);
    assertThat(noCache).doesNotContainKey(SharedCacheManagerCustomizer.CACHE_MANAGER);

    Map<String, Object> named = new HashMap<>(Map.of(SharedCacheManagerCustomizer.REGION_FACTORY, "jcache",
        SharedCacheManagerCustomizer.CACHE_MANAGER, "its-own"));
    customizer.customize(named);
    assertThat(named).containsEntry(SharedCacheManagerCustomizer.CACHE_MANAGER, "its-own");
  }
}
