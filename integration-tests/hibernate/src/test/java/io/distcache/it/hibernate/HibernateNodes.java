package io.distcache.it.hibernate;

import io.distcache.it.hibernate.model.Author;
import io.distcache.it.hibernate.model.Book;
import io.distcache.it.hibernate.model.Country;
import io.distcache.it.hibernate.model.OrderLine;
import io.distcache.it.hibernate.model.Shop;
import io.distcache.jcache.spi.DistCachingProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/** Builds the Hibernate "nodes" of the tests: SessionFactories on one H2 database, each with its own CacheManager. */
final class HibernateNodes {

  /** The settings users copy; every node starts from them. */
  static final Path SAMPLE = Path.of("../../META-INF-samples/hibernate.properties");

  private HibernateNodes() {
  }

  static Properties sample() {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(SAMPLE)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  /**
   * A node that lets Hibernate obtain its CacheManager from the sample's settings, with the URI of the
   * test's Redis: Hibernate asks the provider for {@code getCacheManager(uri, classLoader)}.
   */
  static SessionFactory byUri(String database, String redisUri, boolean createSchema) {
    Properties properties = common(database, createSchema);
    properties.setProperty("hibernate.javax.cache.uri", redisUri);
    return build(properties);
  }

  /**
   * A node that hands Hibernate a ready CacheManager ({@code hibernate.javax.cache.cache_manager}), created on
   * its own class loader so it is a second manager (own connections, follower and near caches) for the same
   * Redis, as on another JVM. Hibernate closes it when the SessionFactory closes.
   */
  static SessionFactory byManager(String database, CacheManager manager) {
    return byManager(database, manager, false);
  }

  /** As {@link #byManager(String, CacheManager)}, creating the schema when asked. */
  static SessionFactory byManager(String database, CacheManager manager, boolean createSchema) {
    Properties properties = common(database, createSchema);
    properties.remove("hibernate.javax.cache.uri");
    properties.put("hibernate.javax.cache.cache_manager", manager);
    return build(properties);
  }

  /** A CacheManager for the test's Redis on a class loader of its own. */
  static CacheManager separateManager(String redisUri, String name) {
    ClassLoader loader = new ClassLoader(name, HibernateNodes.class.getClassLoader()) {
    };
    return Caching.getCachingProvider(DistCachingProvider.class.getName())
        .getCacheManager(URI.create(redisUri), loader, new Properties());
  }

  private static Properties common(String database, boolean createSchema) {
    Properties properties = sample();
    properties.setProperty("hibernate.connection.url", "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1");
    properties.setProperty("hibernate.connection.username", "sa");
    properties.setProperty("hibernate.connection.password", "");
    properties.setProperty("hibernate.hbm2ddl.auto", createSchema ? "create" : "none");
    properties.setProperty("hibernate.generate_statistics", "true");
    return properties;
  }

  private static SessionFactory build(Properties properties) {
    Configuration configuration = new Configuration();
    properties.forEach((key, value) -> configuration.getProperties().put(key, value));
    return configuration.addAnnotatedClass(Author.class).addAnnotatedClass(Book.class)
        .addAnnotatedClass(Country.class).addAnnotatedClass(OrderLine.class).addAnnotatedClass(Shop.class)
        .buildSessionFactory();
  }

  static void inTransaction(SessionFactory factory, Consumer<Session> work) {
    factory.inTransaction(work);
  }

  static <T> T inSession(SessionFactory factory, Function<Session, T> work) {
    try (Session session = factory.openSession()) {
      return work.apply(session);
    }
  }
}
