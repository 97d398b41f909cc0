package io.distcache.jcache.spi;

import io.distcache.jcache.DistCacheManager;
import io.distcache.jcache.configuration.SettingsLoader;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The distcache {@link CachingProvider}, found by {@link java.util.ServiceLoader}.
 *
 * <p>Its constructor does no I/O: {@code Caching} instantiates every registered provider whenever
 * any one is asked for. Managers are kept per (class loader, URI) until closed; a closed manager's
 * slot is freed, so asking again gives a fresh, working manager.
 */
public final class DistCachingProvider implements CachingProvider {

  private final Map<ClassLoader, Map<URI, DistCacheManager>> managers = new WeakHashMap<>();

  /** Creates the provider; no connections are opened until a cache is used. */
  public DistCachingProvider() {
    // ServiceLoader needs a public no-argument constructor.
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties managerProperties = properties == null ? new Properties() : properties;
    synchronized (managers) {
      Map<URI, DistCacheManager> byUri = managers.computeIfAbsent(loader, k -> new HashMap<>());
      DistCacheManager manager = byUri.get(managerUri);
      if (manager == null || manager.isClosed()) {
        manager = new DistCacheManager(this, this::released, managerUri, loader, managerProperties,
            SettingsLoader.load(managerUri, loader, managerProperties, System.getenv(), System.getProperties()));
        byUri.put(managerUri, manager);
      }
      return manager;
    }
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : DistCachingProvider.class.getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return SettingsLoader.DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public void close() {
    for (DistCacheManager manager : allManagers(null)) {
      manager.close();
    }
  }

  @Override
  public void close(ClassLoader classLoader) {
    for (DistCacheManager manager : allManagers(classLoader == null ? getDefaultClassLoader() : classLoader)) {
      manager.close();
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    URI managerUri = uri == null ? getDefaultURI() : uri;
    DistCacheManager manager;
    synchronized (managers) {
      Map<URI, DistCacheManager> byUri = managers.get(loader);
      manager = byUri == null ? null : byUri.get(managerUri);
    }
    if (manager != null) {
      manager.close();
    }
  }

  private List<DistCacheManager> allManagers(ClassLoader only) {
    synchronized (managers) {
      List<DistCacheManager> found = new ArrayList<>();
      managers.forEach((loader, byUri) -> {
        if (only == null || only == loader) {
          found.addAll(byUri.values());
        }
      });
      return found;
    }
  }

  /** Called by a manager when it closes, so the next request creates a new one. */
  private void released(DistCacheManager manager) {
    synchronized (managers) {
      Map<URI, DistCacheManager> byUri = managers.get(manager.getClassLoader());
      if (byUri != null) {
        byUri.remove(manager.getURI(), manager);
        if (byUri.isEmpty()) {
          managers.remove(manager.getClassLoader());
        }
      }
    }
  }

  @Override
  public boolean isSupported(OptionalFeature feature) {
    return feature == OptionalFeature.STORE_BY_REFERENCE;
  }
}
