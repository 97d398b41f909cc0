package io.distcache.it.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.it.spring.jpa.JpaApp;
import io.distcache.it.spring.jpa.Note;
import io.distcache.jcache.DistCacheManager;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.hibernate.SessionFactory;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot with JPA: a {@code HibernatePropertiesCustomizer} hands Boot's JCache CacheManager to Hibernate,
 * so Spring's caches and the second-level cache regions live in one manager; closing the application closes it
 * twice (Hibernate, then Boot), which must be harmless.
 */
class SharedManagerWithHibernateTest {

  @StartedRedis
  private static RedisServer redis;

  @Test
  void hibernateRegionsLiveInBootsCacheManagerAndClosingTwiceIsHarmless() {
    Properties sample = Samples.properties("application.properties");
    Map<String, Object> defaults = new HashMap<>();
    sample.forEach((key, value) -> defaults.put((String) key, value));
    defaults.put("spring.jpa.properties.hibernate.generate_statistics", "true");
    defaults.put("spring.jpa.hibernate.ddl-auto", "create-drop");
    ConfigurableApplicationContext context = new SpringApplicationBuilder(JpaApp.class).properties(defaults)
        .run("--spring.cache.jcache.config=" + redis.uri());
    javax.cache.CacheManager shared = context.getBean(javax.cache.CacheManager.class);
    try {
      EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
      SessionFactory sessions = factory.unwrap(SessionFactory.class);
      JCacheRegionFactory regions = (JCacheRegionFactory) sessions.unwrap(SessionFactoryImplementor.class)
          .getCache().getRegionFactory();
      assertThat(regions.getCacheManager()).isSameAs(shared).isInstanceOf(DistCacheManager.class);

      inTransaction(factory, em -> em.persist(new Note(1L, "shared")));
      Statistics statistics = sessions.getStatistics();
      long hitsBefore = statistics.getSecondLevelCacheHitCount();
      EntityManager reader = factory.createEntityManager();
      assertThat(reader.find(Note.class, 1L).getText()).isEqualTo("shared");
      reader.close();
      assertThat(statistics.getSecondLevelCacheHitCount()).isEqualTo(hitsBefore + 1);
      assertThat(shared.getCache(Note.class.getName())).as("the entity region, in Boot's manager").isNotNull();
      assertThat(shared.getCache("books")).as("Spring's cache, in the same manager").isNotNull();
    } finally {
      context.close();
    }
    assertThat(shared.isClosed()).isTrue();
    shared.close();
    assertThat(shared.isClosed()).isTrue();
  }

  private static void inTransaction(EntityManagerFactory factory, java.util.function.Consumer<EntityManager> work) {
    EntityManager em = factory.createEntityManager();
    try {
      em.getTransaction().begin();
      work.accept(em);
      em.getTransaction().commit();
    } finally {
      em.close();
    }
  }
}
