package io.distcache.jcache;

import io.distcache.jcache.counters.CacheMetrics;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.redis.NamespaceStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a namespace into a cache's near cache when the cache starts ({@code near.preload=all}): pages of
 * {@code SCAN}, each read with one {@code MGET}, on a thread of its own, until the namespace is read or the near
 * cache is full.
 *
 * <p>Nothing changed during the scan is missed: the cache follows the change log from an id read before the
 * preload began, so a record of any write during it reaches the near cache, and a preloaded value older than a
 * record already applied is refused by the near cache's version rule ({@link NearCache}), as any read's fill is.
 */
final class NearPreloader {

  private static final Logger LOG = LoggerFactory.getLogger(NearPreloader.class);
  /** Keys per page: one {@code SCAN} and one {@code MGET} round trip each. */
  static final int PAGE = 1000;
  private static final long PROGRESS_LOG_NANOS = 10_000_000_000L;

  /**
   * Tests only: runs on the preload thread after a page was read from Redis and before it fills the near cache,
   * so that a test can write in exactly that window.
   */
  static volatile Consumer<List<String>> pageReadHook = encodedKeys -> { };

  private final String cacheName;
  private final NamespaceStore store;
  private final NearCache<?> near;
  private final CacheMetrics metrics;
  private final ToIntFunction<List<String>> loadPage;
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean stopped;

  /**
   * Prepares a preload; {@link #start} runs it.
   *
   * @param loadPage reads the entries of encoded keys and fills the near cache with them; returns how many it
   *     filled
   */
  NearPreloader(String cacheName, NamespaceStore store, NearCache<?> near, CacheMetrics metrics,
      ToIntFunction<List<String>> loadPage) {
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.store = Objects.requireNonNull(store, "store");
    this.near = Objects.requireNonNull(near, "near");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.loadPage = Objects.requireNonNull(loadPage, "loadPage");
    this.thread = new Thread(this::run, "distcache-preload-" + cacheName);
    thread.setDaemon(true);
  }

  /**
   * Starts the preload and waits for it to end for at most {@code wait}; reads meanwhile go to Redis for what is
   * not loaded yet.
   */
  void start(Duration wait) {
    metrics.preload(0, true);
    thread.start();
    if (wait.isZero()) {
      return;
    }
    try {
      if (!done.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.info("cache '{}': preload still running after near.preload-wait {}; it goes on in the background",
            cacheName, wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the preload after its current page (the cache is closing). */
  void stop() {
    stopped = true;
  }

  /** Runs {@link #pageReadHook}: a page of {@code encodedKeys} was read and is about to fill the near cache. */
  static void pageRead(List<String> encodedKeys) {
    pageReadHook.accept(encodedKeys);
  }

  /** Waits until the preload has ended (tests). */
  boolean awaitDone(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void run() {
    long start = System.nanoTime();
    long loaded = 0;
    long nextLog = start + PROGRESS_LOG_NANOS;
    String end = "the namespace was read to its end";
    LOG.info("cache '{}': preloading namespace {} into the near cache", cacheName, store.namespace());
    try {
      NamespaceStore.ScanPage page = null;
      do {
        if (stopped) {
          end = "the cache was closed";
          break;
        }
        if (near.isFull()) {
          end = "the near cache is full (near.max-items / near.max-bytes)";
          break;
        }
        page = store.scan(page, PAGE);
        if (!page.encodedKeys().isEmpty()) {
          loaded += loadPage.applyAsInt(page.encodedKeys());
          metrics.preload(loaded, true);
        }
        if (System.nanoTime() >= nextLog) {
          nextLog = System.nanoTime() + PROGRESS_LOG_NANOS;
          LOG.info("cache '{}': preloaded {} entries so far", cacheName, loaded);
        }
      } while (!page.isLast());
      long millis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
      LOG.info("cache '{}': preloaded {} entries in {} ms ({} entries/s); {}", cacheName, loaded, millis,
          loaded * 1000 / millis, end);
    } catch (RuntimeException e) {
      if (stopped) {
        LOG.debug("cache '{}': preload ended by the cache's close after {} entries ({})", cacheName, loaded, e.toString());
      } else {
        LOG.warn("cache '{}': preload stopped after {} entries ({}); reads fill the near cache as they go", cacheName,
            loaded, e.getMessage());
      }
    } finally {
      metrics.preload(loaded, false);
      done.countDown();
    }
  }
}
