package io.distcache.it.hibernate;

import static io.distcache.it.hibernate.HibernateNodes.inSession;
import static io.distcache.it.hibernate.HibernateNodes.inTransaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.it.hibernate.model.Author;
import io.distcache.it.hibernate.model.Book;
import io.distcache.it.hibernate.model.Dimensions;
import io.distcache.it.hibernate.model.Country;
import io.distcache.it.hibernate.model.OrderLine;
import io.distcache.it.hibernate.model.OrderLineId;
import io.distcache.it.hibernate.model.Region;
import io.distcache.it.hibernate.model.Shop;
import io.distcache.jcache.DistCache;
import io.distcache.testkit.RedisServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.hibernate.SessionFactory;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Hibernate nodes (SessionFactories with separate CacheManagers) over one redis-server and one H2
 * database: node 2 hits the second-level cache for what node 1 cached, and never reads a value node 1 has
 * replaced, for entities of every strategy, a composite id, a collection, a natural id with an enum part and
 * query results.
 */
class TwoNodeSecondLevelCacheTest {

  private static final int ROUNDS = 25;
  /** Generous: this proves the change log reaches node 2, the benchmarks measure how fast. */
  private static final Duration CHANGE_LOG_BOUND = Duration.ofSeconds(10);
  private static final AtomicLong IDS = new AtomicLong(100);

  private static RedisServer redis;
  private static SessionFactory node1;
  private static SessionFactory node2;
  private static CacheManager node2Manager;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    node1 = HibernateNodes.byUri("two-nodes", redis.uri(), true);
    node2Manager = HibernateNodes.separateManager(redis.uri(), "node-2");
    node2 = HibernateNodes.byManager("two-nodes", node2Manager);
  }

  @AfterAll
  static void stop() {
    node2.close();
    node1.close();
    redis.stop();
  }

  @Test
  void theNodesUseSeparateCacheManagers() {
    CacheManager node1Manager = cacheOf(node1, Author.class.getName()).getCacheManager();
    assertThat(node1Manager).isNotSameAs(node2Manager);
    assertThat(cacheOf(node2, Author.class.getName()).getCacheManager()).isSameAs(node2Manager);
  }

  @Test
  void node2HitsWhatNode1CachedAndNeverReadsAReplacedEntity() {
    long id = IDS.incrementAndGet();
    inTransaction(node1, s -> s.persist(new Author(id, "v0")));
    node1.getCache().evictEntityData(Author.class, id);
    long putsBefore = node1.getStatistics().getSecondLevelCachePutCount();
    assertThat(HibernateNodes.<String>inSession(node1, s -> s.find(Author.class, id).getName())).isEqualTo("v0");
    assertThat(node1.getStatistics().getSecondLevelCachePutCount()).as("node 1 loaded and cached").isGreaterThan(
        putsBefore);
    Statistics stats2 = node2.getStatistics();
    long hitsBefore = stats2.getSecondLevelCacheHitCount();

    assertThat(HibernateNodes.<String>inSession(node2, s -> s.find(Author.class, id).getName())).isEqualTo("v0");
    assertThat(stats2.getSecondLevelCacheHitCount()).isEqualTo(hitsBefore + 1);

    int stale = 0;
    int hits = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      String name = "v" + round;
      inTransaction(node1, s -> s.find(Author.class, id).setName(name));
      long hitsBeforeRead = stats2.getSecondLevelCacheHitCount();
      if (!name.equals(inSession(node2, s -> s.find(Author.class, id).getName()))) {
        stale++;
      }
      hits += stats2.getSecondLevelCacheHitCount() - hitsBeforeRead == 1 ? 1 : 0;
    }
    assertThat(stale).as("stale reads on node 2").isZero();
    assertThat(hits).as("rounds in which node 2 read the entity from L2, not the database").isEqualTo(ROUNDS);
  }

  /**
   * NONSTRICT_READ_WRITE may serve the old value briefly by contract; its region keeps a near cache, so node 2
   * stops serving the old title once node 1's change-log record reaches it (well under the bound here), and
   * never afterwards.
   */
  @Test
  void nonstrictEntitiesAreFreshOnNode2WithinTheChangeLogDelay() {
    long authorId = IDS.incrementAndGet();
    long bookId = IDS.incrementAndGet();
    inTransaction(node1, s -> {
      Author author = new Author(authorId, "a");
      s.persist(author);
      s.persist(new Book(bookId, "t0", author));
    });
    assertThat(HibernateNodes.<String>inSession(node1, s -> s.find(Book.class, bookId).getTitle())).isEqualTo("t0");
    long hitsBefore = node2.getStatistics().getSecondLevelCacheHitCount();
    assertThat(HibernateNodes.<String>inSession(node2, s -> s.find(Book.class, bookId).getTitle())).isEqualTo("t0");
    assertThat(node2.getStatistics().getSecondLevelCacheHitCount()).isGreaterThan(hitsBefore);
    assertThat(HibernateNodes.<Dimensions>inSession(node2, s -> s.find(Book.class, bookId).getDimensions()))
        .as("a serialized attribute, cached as the object").isEqualTo(new Dimensions(135, 210));

    for (int round = 1; round <= ROUNDS; round++) {
      String title = "t" + round;
      inTransaction(node1, s -> s.find(Book.class, bookId).setTitle(title));
      await().atMost(CHANGE_LOG_BOUND).pollInterval(Duration.ofMillis(1)).until(
          () -> title.equals(inSession(node2, s -> s.find(Book.class, bookId).getTitle())));
      assertThat(HibernateNodes.<String>inSession(node2, s -> s.find(Book.class, bookId).getTitle()))
          .as("once fresh, node 2 stays fresh").isEqualTo(title);
    }
  }

  @Test
  void readOnlyEntitiesAreSharedByBothNodes() {
    inTransaction(node1, s -> s.persist(new Country("NO", "Norway")));
    Statistics stats2 = node2.getStatistics();
    long hitsBefore = stats2.getSecondLevelCacheHitCount();

    assertThat(HibernateNodes.<String>inSession(node2, s -> s.find(Country.class, "NO").getName())).isEqualTo("Norway");
    assertThat(stats2.getSecondLevelCacheHitCount()).isEqualTo(hitsBefore + 1);
  }

  @Test
  void compositeIdsAreSharedAndNeverReadStale() {
    OrderLineId id = new OrderLineId(IDS.incrementAndGet(), 1);
    inTransaction(node1, s -> s.persist(new OrderLine(id, 0)));
    long hitsBefore = node2.getStatistics().getSecondLevelCacheHitCount();
    assertThat(HibernateNodes.<Integer>inSession(node2, s -> s.find(OrderLine.class, id).getQuantity())).isZero();
    assertThat(node2.getStatistics().getSecondLevelCacheHitCount()).isEqualTo(hitsBefore + 1);

    int stale = 0;
    int hits = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      int quantity = round;
      inTransaction(node1, s -> s.find(OrderLine.class, id).setQuantity(quantity));
      long hitsBeforeRead = node2.getStatistics().getSecondLevelCacheHitCount();
      if (inSession(node2, s -> s.find(OrderLine.class, id).getQuantity()) != quantity) {
        stale++;
      }
      hits += node2.getStatistics().getSecondLevelCacheHitCount() - hitsBeforeRead == 1 ? 1 : 0;
    }
    assertThat(stale).as("stale reads on node 2").isZero();
    assertThat(hits).as("rounds in which node 2 read the entity from L2, not the database").isEqualTo(ROUNDS);
  }

  @Test
  void collectionsAreSharedAndNeverReadStale() {
    long authorId = IDS.incrementAndGet();
    inTransaction(node1, s -> s.persist(new Author(authorId, "collector")));
    assertThat(HibernateNodes.<Integer>inSession(node1, s -> s.find(Author.class, authorId).getBooks().size())).isZero();
    long hitsBefore = node2.getStatistics().getCollectionStatistics(Author.class.getName() + ".books")
        .getCacheHitCount();
    assertThat(HibernateNodes.<Integer>inSession(node2, s -> s.find(Author.class, authorId).getBooks().size())).isZero();
    assertThat(node2.getStatistics().getCollectionStatistics(Author.class.getName() + ".books").getCacheHitCount())
        .isEqualTo(hitsBefore + 1);

    int stale = 0;
    int lookups = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      long bookId = IDS.incrementAndGet();
      inTransaction(node1, s -> {
        Author author = s.find(Author.class, authorId);
        Book book = new Book(bookId, "b" + bookId, author);
        s.persist(book);
        author.getBooks().add(book);
      });
      long lookupsBefore = collectionLookups(node2);
      if (inSession(node2, s -> s.find(Author.class, authorId).getBooks().size()) != round) {
        stale++;
      }
      lookups += collectionLookups(node2) > lookupsBefore ? 1 : 0;
    }
    assertThat(stale).as("stale collection reads on node 2").isZero();
    assertThat(lookups).as("rounds in which node 2 looked the collection up in L2 (where a stale copy would be)")
        .isEqualTo(ROUNDS);
  }

  @Test
  void naturalIdsWithAnEnumPartAreSharedAndNeverReadStale() {
    long shopId = IDS.incrementAndGet();
    inTransaction(node1, s -> s.persist(new Shop(shopId, Region.NORTH, "N-0", "shop")));
    inSession(node1, s -> byNaturalId(s, Region.NORTH, "N-0"));
    long hitsBefore = node2.getStatistics().getNaturalIdCacheHitCount();
    assertThat(HibernateNodes.<Long>inSession(node2, s -> byNaturalId(s, Region.NORTH, "N-0").getId())).isEqualTo(shopId);
    assertThat(node2.getStatistics().getNaturalIdCacheHitCount()).isGreaterThan(hitsBefore);

    int stale = 0;
    int lookups = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      String oldCode = "N-" + (round - 1);
      String newCode = "N-" + round;
      inTransaction(node1, s -> s.find(Shop.class, shopId).setCode(newCode));
      long lookupsBefore = naturalIdLookups(node2);
      Shop byOld = inSession(node2, s -> byNaturalId(s, Region.NORTH, oldCode));
      Shop byNew = inSession(node2, s -> byNaturalId(s, Region.NORTH, newCode));
      if (byOld != null || byNew == null || !byNew.getId().equals(shopId)) {
        stale++;
      }
      lookups += naturalIdLookups(node2) > lookupsBefore ? 1 : 0;
    }
    assertThat(stale).as("stale natural-id resolutions on node 2").isZero();
    assertThat(lookups).as("rounds in which node 2 looked the natural ids up in L2 (where a stale copy would be)")
        .isEqualTo(ROUNDS);
  }

  @Test
  void queryResultsAreSharedAndNeverReadStale() {
    Region region = Region.SOUTH;
    inTransaction(node1, s -> s.persist(new Shop(IDS.incrementAndGet(), region, "S-first", "south")));
    assertThat(countShops(node1, region)).isEqualTo(1);
    long hitsBefore = node2.getStatistics().getQueryCacheHitCount();
    assertThat(countShops(node2, region)).isEqualTo(1);
    assertThat(node2.getStatistics().getQueryCacheHitCount()).as("node 2 query cache hits").isEqualTo(hitsBefore + 1);

    int stale = 0;
    int lookups = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      long shopId = IDS.incrementAndGet();
      inTransaction(node1, s -> s.persist(new Shop(shopId, region, "S-" + shopId, "south")));
      long lookupsBefore = queryLookups(node2);
      if (countShops(node2, region) != round + 1) {
        stale++;
      }
      lookups += queryLookups(node2) > lookupsBefore ? 1 : 0;
    }
    assertThat(stale).as("stale query results on node 2").isZero();
    assertThat(lookups).as("rounds in which node 2 looked the query up in L2 (where a stale result would be)")
        .isEqualTo(ROUNDS);
  }

  @Test
  void evictAllRegionsOnNode1EmptiesTheSecondLevelCacheOfNode2() {
    long authorId = IDS.incrementAndGet();
    inTransaction(node1, s -> {
      s.persist(new Author(authorId, "evicted"));
      s.persist(new Country("EV" + authorId, "Evictland"));
    });
    assertThat(HibernateNodes.<String>inSession(node2, s -> s.find(Author.class, authorId).getName()))
        .isEqualTo("evicted");
    assertThat(HibernateNodes.<String>inSession(node2, s -> s.find(Country.class, "EV" + authorId).getName()))
        .isEqualTo("Evictland");

    node1.getCache().evictAllRegions();

    Statistics stats2 = node2.getStatistics();
    long missesBefore = stats2.getSecondLevelCacheMissCount();
    assertThat(HibernateNodes.<String>inSession(node2, s -> s.find(Author.class, authorId).getName()))
        .isEqualTo("evicted");
    assertThat(stats2.getSecondLevelCacheMissCount()).as("Author read from the database").isEqualTo(missesBefore + 1);
    // Country keeps a near cache on node 2: the clear reaches it through the change log
    await().atMost(CHANGE_LOG_BOUND).pollInterval(Duration.ofMillis(5)).until(() -> {
      long before = stats2.getSecondLevelCacheMissCount();
      inSession(node2, s -> s.find(Country.class, "EV" + authorId));
      return stats2.getSecondLevelCacheMissCount() > before;
    });
  }

  /**
   * Hibernate's update-timestamps region through two managers, as Hibernate drives it: the last write wins
   * even when the value goes down (pre-invalidation writes now + 60 s, invalidation then writes now), nothing
   * is merged, and the Redis entry has no TTL.
   */
  @Test
  void timestampsRegionIsLastWriteWinsWithoutExpiry() {
    String region = "default-update-timestamps-region";
    Cache<Object, Object> onNode1 = distCacheOf(node1, region);
    Cache<Object, Object> onNode2 = node2Manager.getCache(region);
    String table = "ts_table_" + IDS.incrementAndGet();

    onNode1.put(table, 2_000L);
    assertThat(onNode2.get(table)).isEqualTo(2_000L);
    onNode1.put(table, 1_000L);
    assertThat(onNode2.get(table)).as("a lower timestamp replaces a higher one").isEqualTo(1_000L);
    onNode2.put(table, 1_500L);
    assertThat(onNode1.get(table)).isEqualTo(1_500L);

    String redisKey = redis.command("KEYS", "*" + table + "*");
    assertThat(redisKey).as("the entry's Redis key").isNotBlank().doesNotContain("\n");
    assertThat(redis.command("PTTL", redisKey)).as("no TTL").isEqualTo("-1");
  }

  static Shop byNaturalId(org.hibernate.Session session, Region region, String code) {
    return session.byNaturalId(Shop.class).using("region", region).using("code", code).load();
  }

  static int countShops(SessionFactory node, Region region) {
    return inSession(node, s -> s.createQuery("select s from Shop s where s.region = :region", Shop.class)
        .setParameter("region", region).setCacheable(true).getResultList().size());
  }

  static Cache<Object, Object> cacheOf(SessionFactory node, String region) {
    CacheManager manager = node == node2 ? node2Manager : distCacheOf(node1, Author.class.getName()).getCacheManager();
    return manager.getCache(region);
  }

  @SuppressWarnings("unchecked")
  static DistCache<Object, Object> distCacheOf(SessionFactory node, String region) {
    javax.cache.Cache<?, ?> cache = ((JCacheRegionFactory) node.unwrap(SessionFactoryImplementor.class).getCache()
        .getRegionFactory()).getCacheManager().getCache(region);
    return cache.unwrap(DistCache.class);
  }

  /** The node's L2 lookups, hits and misses, of the {@code Author.books} collection region. */
  private static long collectionLookups(SessionFactory node) {
    var statistics = node.getStatistics().getCollectionStatistics(Author.class.getName() + ".books");
    return statistics.getCacheHitCount() + statistics.getCacheMissCount();
  }

  /** The node's natural-id cache lookups, hits and misses. */
  private static long naturalIdLookups(SessionFactory node) {
    return node.getStatistics().getNaturalIdCacheHitCount() + node.getStatistics().getNaturalIdCacheMissCount();
  }

  /** The node's query cache lookups, hits and misses. */
  private static long queryLookups(SessionFactory node) {
    return node.getStatistics().getQueryCacheHitCount() + node.getStatistics().getQueryCacheMissCount();
  }
}
