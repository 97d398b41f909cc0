package io.distcache.jcache.integration;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache's optional {@link CacheLoader} and {@link CacheWriter}, with the specification's exception
 * rules applied in one place: whatever they throw reaches the caller as a {@link CacheLoaderException}
 * or {@link CacheWriterException}.
 */
public final class LoaderWriter<K, V> implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(LoaderWriter.class);

  private final CacheLoader<K, V> loader;
  private final CacheWriter<K, V> writer;

  /**
   * Wraps the loader and writer; either may be {@code null} (read-through / write-through off).
   */
  public LoaderWriter(CacheLoader<K, V> loader, CacheWriter<K, V> writer) {
    this.loader = loader;
    this.writer = writer;
  }

  /** True when a loader is configured for read-through. */
  public boolean canLoad() {
    return loader != null;
  }

  /** Loads one value; {@code null} when the loader has none. */
  public V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("CacheLoader " + loader.getClass().getName() + " failed to load a key", e);
    }
  }

  /** Loads many values with one loader call; keys the loader has no value for are absent or map to null. */
  public Map<K, V> loadAll(Iterable<? extends K> keys) {
    try {
      return loader.loadAll(keys);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("CacheLoader " + loader.getClass().getName() + " failed to load keys", e);
    }
  }

  /** Writes one entry through, when a writer is configured. */
  public void write(Cache.Entry<? extends K, ? extends V> entry) {
    if (writer == null) {
      return;
    }
    try {
      writer.write(entry);
    } catch (CacheWriterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheWriterException("CacheWriter " + writer.getClass().getName() + " failed to write", e);
    }
  }

  /**
   * Writes entries through. On failure the collection keeps the entries that were not written (the
   * writer's contract) and the exception is returned rather than thrown, so the caller can still
   * apply the written ones before rethrowing.
   */
  public CacheWriterException writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
    if (writer == null || entries.isEmpty()) {
      return null;
    }
    try {
      writer.writeAll(entries);
      return null;
    } catch (CacheWriterException e) {
      return e;
    } catch (RuntimeException e) {
      return new CacheWriterException("CacheWriter " + writer.getClass().getName() + " failed to write entries", e);
    }
  }

  /** Deletes one key through, when a writer is configured. */
  public void delete(K key) {
    if (writer == null) {
      return;
    }
    try {
      writer.delete(key);
    } catch (CacheWriterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheWriterException("CacheWriter " + writer.getClass().getName() + " failed to delete", e);
    }
  }

  /** Deletes keys through; like {@link #writeAll} the collection keeps the failed keys and the error is returned. */
  public CacheWriterException deleteAll(Collection<K> keys) {
    if (writer == null || keys.isEmpty()) {
      return null;
    }
    try {
      writer.deleteAll(keys);
      return null;
    } catch (CacheWriterException e) {
      return e;
    } catch (RuntimeException e) {
      return new CacheWriterException("CacheWriter " + writer.getClass().getName() + " failed to delete keys", e);
    }
  }

  /** A mutable copy of keys for {@link #deleteAll}. */
  public static <K> Collection<K> mutableCopy(Collection<? extends K> keys) {
    return new ArrayList<>(keys);
  }

  @Override
  public void close() {
    closeQuietly(loader);
    if (writer != loader) {
      closeQuietly(writer);
    }
  }

  static void closeQuietly(Object resource) {
    if (resource instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("closing {} failed", resource.getClass().getName(), e);
      }
    }
  }
}
