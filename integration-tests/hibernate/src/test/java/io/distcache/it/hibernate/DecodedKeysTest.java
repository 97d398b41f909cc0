package io.distcache.it.hibernate;

import static io.distcache.it.hibernate.HibernateNodes.inSession;
import static io.distcache.it.hibernate.HibernateNodes.inTransaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.it.hibernate.model.Author;
import io.distcache.it.hibernate.model.Book;
import io.distcache.it.hibernate.model.OrderLine;
import io.distcache.it.hibernate.model.OrderLineId;
import io.distcache.it.hibernate.model.Region;
import io.distcache.it.hibernate.model.Shop;
import io.distcache.jcache.DistCache;
import io.distcache.testkit.RedisServer;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.hibernate.SessionFactory;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The keys a change-log record names are decoded from Redis text; they must find the near-cache entries
 * Hibernate's own keys made, or invalidations would miss them. Every kind of key Hibernate makes (basic and
 * composite entity ids, collection, natural id with an enum part, query) is read back from Redis and looked up
 * in the near cache that holds the original.
 */
class DecodedKeysTest {

  private static RedisServer redis;
  private static SessionFactory node;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    Properties nearEverywhere = new Properties();
    nearEverywhere.setProperty("defaults.near.max-items", "1000");
    CacheManager manager = Caching.getCachingProvider().getCacheManager(URI.create(redis.uri()),
        new ClassLoader("decoded-keys", DecodedKeysTest.class.getClassLoader()) {
        }, nearEverywhere);
    node = HibernateNodes.byManager("decoded-keys", manager, true);
  }

  @AfterAll
  static void stop() {
    node.close();
    redis.stop();
  }

  @Test
  void keysDecodedFromRedisFindTheNearEntriesHibernateMade() {
    inTransaction(node, s -> {
      Author author = new Author(1L, "decoded");
      s.persist(author);
      s.persist(new Book(2L, "b", author));
      s.persist(new Shop(3L, Region.NORTH, "D-3", "decoded"));
      s.persist(new OrderLine(new OrderLineId(4L, 7), 3));
    });
    inSession(node, s -> s.find(Author.class, 1L).getBooks().size());
    inSession(node, s -> TwoNodeSecondLevelCacheTest.byNaturalId(s, Region.NORTH, "D-3"));
    TwoNodeSecondLevelCacheTest.countShops(node, Region.NORTH);

    for (String region : List.of(Author.class.getName(), Author.class.getName() + ".books",
        Shop.class.getName() + "##NaturalId", OrderLine.class.getName(), "default-query-results-region")) {
      DistCache<Object, Object> cache = distCacheOf(region);
      int entries = 0;
      int found = 0;
      for (Cache.Entry<Object, Object> entry : cache) {
        entries++;
        if (cache.nearCopy(entry.getKey()) != null) {
          found++;
        }
      }
      assertThat(entries).as("entries of %s in Redis", region).isPositive();
      assertThat(found).as("decoded keys of %s found in the near cache", region).isEqualTo(entries);
    }
  }

  @SuppressWarnings("unchecked")
  private static DistCache<Object, Object> distCacheOf(String region) {
    Cache<?, ?> cache = ((JCacheRegionFactory) node.unwrap(SessionFactoryImplementor.class).getCache()
        .getRegionFactory()).getCacheManager().getCache(region);
    return cache.unwrap(DistCache.class);
  }
}
