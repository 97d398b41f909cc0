package io.distcache.jcache.configuration;

import java.net.URLStreamHandler;
import java.net.spi.URLStreamHandlerProvider;

/**
 * Lets {@code java.net.URL} accept {@code redis://}, {@code rediss://}, {@code redis-sentinel://} and
 * {@code rediss-sentinel://} URLs, so that a Redis URI can be given wherever a framework expects a
 * URL for the CacheManager URI (docs/design.md §6):
 * <ul>
 *   <li>Hibernate turns {@code hibernate.javax.cache.uri} into a {@code URL}, then calls {@code toURI()};</li>
 *   <li>Spring Boot checks that {@code spring.cache.jcache.config} exists by opening a connection and
 *       reading its content length, and fails startup when it does not.</li>
 * </ul>
 *
 * <p>Registered in {@code META-INF/services/java.net.spi.URLStreamHandlerProvider}. The JDK looks
 * providers up with the system class loader only, so this works when the provider jar is on the
 * class path, not when it is nested in a fat jar or loaded by an application server's class loader.
 */
public final class RedisUrlStreamHandlerProvider extends URLStreamHandlerProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public RedisUrlStreamHandlerProvider() {
  }

  /**
   * The handler of a Redis scheme.
   *
   * @param protocol the URL scheme, lower case
   * @return the Redis URL handler, or {@code null} for schemes that are not Redis schemes
   */
  @Override
  public URLStreamHandler createURLStreamHandler(String protocol) {
    return RedisUris.isRedisScheme(protocol) ? new RedisUrlStreamHandler() : null;
  }
}
