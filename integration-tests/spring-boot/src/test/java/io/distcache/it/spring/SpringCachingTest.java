package io.distcache.it.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.it.spring.cache.BookService;
import io.distcache.it.spring.cache.CachingApp;
import io.distcache.it.spring.cache.Genre;
import io.distcache.jcache.DistCacheManager;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.cache.support.NullValue;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot 4 caching on distcache and a real redis-server: the sample application.properties selects the
 * provider by name, and without any property Boot finds it by ServiceLoader alone.
 */
class SpringCachingTest {

  @StartedRedis
  private static RedisServer redis;
  private ConfigurableApplicationContext context;

  @AfterEach
  void closeContext() {
    if (context != null) {
      context.close();
    }
  }

  /** The sample application.properties with the test's Redis as the JCache config URI. */
  private ConfigurableApplicationContext startFromSample() {
    Properties sample = Samples.properties("application.properties");
    Map<String, Object> defaults = new HashMap<>();
    sample.forEach((key, value) -> defaults.put((String) key, value));
    return new SpringApplicationBuilder(CachingApp.class).properties(defaults)
        .run("--spring.cache.jcache.config=" + redis.uri());
  }

  @Test
  void theSampleSelectsTheProviderByName() {
    context = startFromSample();
    javax.cache.CacheManager jcache = context.getBean(javax.cache.CacheManager.class);

    assertThat(jcache).isInstanceOf(DistCacheManager.class);
    assertThat(jcache.getURI().toString()).isEqualTo(redis.uri());
    assertThat(jcache.getCacheNames()).contains("books", "authors");
  }

  @Test
  void serviceLoaderAloneFindsTheProvider() {
    String property = "distcache.redis.uri";
    System.setProperty(property, redis.uri());
    try {
      context = new SpringApplicationBuilder(CachingApp.class)
          .run("--spring.cache.type=jcache", "--spring.cache.cache-names=books");
      javax.cache.CacheManager jcache = context.getBean(javax.cache.CacheManager.class);
      assertThat(jcache).isInstanceOf(DistCacheManager.class);

      BookService books = context.getBean(BookService.class);
      assertThat(books.title(1)).isEqualTo("title-1");
      assertThat(books.title(1)).isEqualTo("title-1");
      assertThat(books.lookups()).isEqualTo(1);
    } finally {
      System.clearProperty(property);
    }
  }

  @Test
  void cacheableCachePutAndCacheEvictAllEntries() {
    context = startFromSample();
    BookService books = context.getBean(BookService.class);

    assertThat(books.title(10)).isEqualTo("title-10");
    assertThat(books.title(10)).isEqualTo("title-10");
    assertThat(books.lookups()).as("second call served by the cache").isEqualTo(1);

    books.rename(10, "renamed");
    assertThat(books.title(10)).isEqualTo("renamed");
    assertThat(books.lookups()).isEqualTo(1);

    books.evictAll();
    assertThat(books.title(10)).isEqualTo("title-10");
    assertThat(books.lookups()).as("evicted: looked up again").isEqualTo(2);
  }

  @Test
  void aCachedNullComesBackAsTheSameNullValueInstance() {
    context = startFromSample();
    BookService books = context.getBean(BookService.class);

    assertThat(books.title(-1)).isNull();
    assertThat(books.title(-1)).isNull();
    assertThat(books.lookups()).as("null was cached").isEqualTo(1);

    javax.cache.Cache<Object, Object> raw = context.getBean(javax.cache.CacheManager.class).getCache("books");
    assertThat(raw.get(-1L)).isSameAs(NullValue.INSTANCE);
    // from Redis too, not only from the near cache
    raw.unwrap(io.distcache.jcache.DistCache.class).nearCache().reset();
    assertThat(raw.get(-1L)).isSameAs(NullValue.INSTANCE);
  }

  @Test
  void aSimpleKeyHoldingAnEnumAndACachedNullNeedNoCodecSetting() {
    context = startFromSample();
    BookService books = context.getBean(BookService.class);
    assertThat(books.shelf(Genre.FICTION, 3)).isEqualTo("FICTION-3");
    assertThat(books.shelf(Genre.HISTORY, -1)).isNull();
    assertThat(books.lookups()).isEqualTo(2);
    context.close();

    // A second application context: a new CacheManager, which reads both entries back from Redis.
    context = startFromSample();
    BookService restarted = context.getBean(BookService.class);
    assertThat(restarted.shelf(Genre.FICTION, 3)).isEqualTo("FICTION-3");
    assertThat(restarted.shelf(Genre.HISTORY, -1)).isNull();
    assertThat(restarted.lookups()).as("both served by the cache").isZero();
    javax.cache.Cache<Object, Object> books2 = context.getBean(javax.cache.CacheManager.class).getCache("books");
    assertThat(books2.get(new SimpleKey(Genre.HISTORY, -1))).isSameAs(NullValue.INSTANCE);
  }

  @Test
  void syncCacheableLoadsOnceAndGivesEveryThreadTheSameValue() throws Exception {
    context = startFromSample();
    BookService books = context.getBean(BookService.class);

    assertThat(books.titleSync(20)).isEqualTo("title-20");
    assertThat(books.titleSync(20)).isEqualTo("title-20");
    assertThat(books.lookups()).isEqualTo(1);

    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<String>> calls = java.util.Collections.nCopies(8, () -> books.titleSync(21));
      for (Future<String> result : pool.invokeAll(calls)) {
        assertThat(result.get()).isEqualTo("title-21");
      }
    } finally {
      pool.shutdown();
    }
    // Spring's sync=true is Cache.invoke: one EntryProcessor run per key at a time in a JVM, so one lookup
    assertThat(books.lookups()).as("lookups: one for title 20, one for the burst on 21").isEqualTo(2);
    int afterBurst = books.lookups();
    assertThat(books.titleSync(21)).isEqualTo("title-21");
    assertThat(books.lookups()).as("cached after the burst").isEqualTo(afterBurst);
  }

  @Test
  void bootsCacheMetricsRegistrarPublishesStandardAndDistcacheMeters() {
    context = startFromSample();
    BookService books = context.getBean(BookService.class);
    books.title(30);
    books.title(30);

    MeterRegistry registry = context.getBean(MeterRegistry.class);
    assertThat(registry.get("distcache.near.gets").tag("cache", "books").tag("result", "hit").functionCounter()
        .count()).isEqualTo(1);
    assertThat(registry.get("distcache.remote.gets").tag("cache", "books").tag("result", "miss").functionCounter()
        .count()).isEqualTo(1);
    assertThat(registry.get("distcache.puts").tag("cache", "books").functionCounter().count()).isEqualTo(1);
    // Micrometer's standard cache meters, which stock dashboards read: one miss (the first call), one hit
    assertThat(registry.get("cache.gets").tag("cache", "books").tag("result", "hit").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("cache.gets").tag("cache", "books").tag("result", "miss").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("cache.puts").tag("cache", "books").functionCounter().count()).isEqualTo(1);
    assertThat(registry.find("distcache.remote.latency").tag("cache", "authors").timer()).isNotNull();
    CacheManager springCaches = context.getBean(CacheManager.class);
    assertThat(springCaches.getCacheNames()).contains("books");
  }
}
