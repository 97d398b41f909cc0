package io.distcache.jcache.management;

import java.lang.reflect.Proxy;
import java.net.URI;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;

/** Test stand-ins for a cache and its manager, answering only what the management beans ask. */
final class StubCache {

  private StubCache() {}

  /**
   * A cache with a name, a manager URI and a configuration (returned for any requested configuration
   * class, as the beans only ask for {@link CompleteConfiguration}).
   */
  @SuppressWarnings("unchecked") // a class literal is raw: Cache.class yields a raw Cache
  static <K, V> Cache<K, V> of(String name, URI managerUri, CompleteConfiguration<K, V> configuration) {
    CacheManager manager = proxy(CacheManager.class, "manager " + managerUri, method -> switch (method) {
      case "getURI" -> managerUri;
      default -> throw new UnsupportedOperationException(method);
    });
    return proxy(Cache.class, "cache " + name, method -> switch (method) {
      case "getName" -> name;
      case "getCacheManager" -> manager;
      case "getConfiguration" -> configuration;
      default -> throw new UnsupportedOperationException(method);
    });
  }

  /** The answer of a stub to a method, by name. */
  private interface Answers {
    Object answer(String method);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, String description, Answers answers) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> switch (method.getName()) {
          case "toString" -> description;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> answers.answer(method.getName());
        });
  }
}
