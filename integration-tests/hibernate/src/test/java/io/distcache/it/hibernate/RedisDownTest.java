package io.distcache.it.hibernate;

import static io.distcache.it.hibernate.HibernateNodes.inSession;
import static io.distcache.it.hibernate.HibernateNodes.inTransaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distcache.it.hibernate.model.Author;
import io.distcache.testkit.RedisServer;
import jakarta.persistence.CacheRetrieveMode;
import jakarta.persistence.CacheStoreMode;
import java.time.Duration;
import javax.cache.CacheException;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The error policy with Redis down (Hibernate's own handling): distcache fails fast with a
 * {@code javax.cache.CacheException}, Hibernate lets it reach the application; for a READ_WRITE entity the
 * update fails before the commit (the soft lock cannot be written), so the transaction rolls back and the
 * database never moves ahead of the cache. Once Redis is back (empty), everything works again.
 */
class RedisDownTest {

  private static RedisServer redis;
  private static SessionFactory node;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    node = HibernateNodes.byUri("redis-down", redis.uri(), true);
  }

  @AfterAll
  static void stop() {
    node.close();
    redis.stop();
  }

  @Test
  void readsFailFastAndAReadWriteUpdateRollsBackUntilRedisReturns() {
    inTransaction(node, s -> s.persist(new Author(1L, "before")));
    redis.stop();
    try {
      assertThatThrownBy(() -> inSession(node, s -> s.find(Author.class, 1L)))
          .as("a second-level cache read").isInstanceOf(CacheException.class);
      // bypassing the cache for the read, the update still locks the entry in the cache before the commit
      assertThatThrownBy(() -> inTransaction(node, s -> s.find(Author.class, 1L, CacheRetrieveMode.BYPASS,
          CacheStoreMode.BYPASS).setName("during"))).as("the update").isInstanceOf(CacheException.class);
      assertThat(HibernateNodes.<String>inSession(node, s -> s.find(Author.class, 1L, CacheRetrieveMode.BYPASS,
          CacheStoreMode.BYPASS).getName())).as("the database kept the old value").isEqualTo("before");
    } finally {
      redis.restart();
    }
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> "before".equals(inSession(node, s -> s.find(Author.class, 1L).getName())));
    inTransaction(node, s -> s.find(Author.class, 1L).setName("after"));
    assertThat(HibernateNodes.<String>inSession(node, s -> s.find(Author.class, 1L).getName())).isEqualTo("after");
  }
}
