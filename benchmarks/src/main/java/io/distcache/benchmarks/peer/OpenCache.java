package io.distcache.benchmarks.peer;

import io.distcache.benchmarks.data.Dataset;
import io.distcache.benchmarks.data.Payload;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.spi.CachingProvider;

/**
 * A JCache cache with the provider and manager that own it; closing closes both, then runs
 * {@code afterClose} (a client the provider does not own).
 *
 * <p>Providers are always instantiated directly by class, never through {@code Caching}, which would
 * see every provider on the benchmark class path and refuse to pick one.
 *
 * @param provider the provider instance
 * @param manager the manager the cache belongs to
 * @param cache the cache
 * @param afterClose what else to release
 */
public record OpenCache(CachingProvider provider, CacheManager manager, Cache<String, Payload> cache,
    Runnable afterClose) implements AutoCloseable {

  private static final int LOAD_BATCH = 500;

  /** A cache whose provider owns everything it uses. */
  public OpenCache(CachingProvider provider, CacheManager manager, Cache<String, Payload> cache) {
    this(provider, manager, cache, () -> { });
  }

  /**
   * Puts every entry of the data set, {@value #LOAD_BATCH} per {@code putAll}: one {@code putAll} of
   * 10,000 sends every write at once, and on a busy machine the last ones can outlive a command timeout.
   */
  public OpenCache load() {
    Map<String, Payload> batch = new LinkedHashMap<>();
    for (Map.Entry<String, Payload> entry : Dataset.entries().entrySet()) {
      batch.put(entry.getKey(), entry.getValue());
      if (batch.size() == LOAD_BATCH) {
        cache.putAll(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      cache.putAll(batch);
    }
    return this;
  }

  /**
   * Fails unless every key of the data set reads back its value, so a hit row cannot silently measure misses.
   */
  public OpenCache requireAllPresent() {
    for (int i = 0; i < Dataset.SIZE; i++) {
      Payload value = cache.get(Dataset.key(i));
      if (value == null || value.id() != Dataset.value(i).id()) {
        throw new IllegalStateException(cache.getName() + ": key " + Dataset.key(i) + " reads back " + value);
      }
    }
    return this;
  }

  @Override
  public void close() {
    manager.close();
    provider.close();
    afterClose.run();
  }
}
