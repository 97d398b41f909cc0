package io.distcache.jcache;

import io.distcache.jcache.counters.CacheMetrics;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.jcache.redis.RedisUnavailableException;
import io.distcache.jcache.redis.StoredEntry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a namespace into a cache's near cache when the cache starts ({@code near.preload=all}): pages of
 * {@code SCAN}, each read with one {@code MGET}, until the namespace is read or the near cache is full. Two threads
 * of its own, so that Redis's round trips and the decoding overlap: one scans and reads the next pages while the
 * other decodes and fills the pages read.
 *
 * <p>Nothing changed during the scan is missed: the cache follows the change log from an id read before the
 * preload began, so a record of any write during it reaches the near cache, and a preloaded value older than a
 * record already applied is refused by the near cache's version rule ({@link NearCache}), as any read's fill is.
 */
final class NearPreloader {

  private static final Logger LOG = LoggerFactory.getLogger(NearPreloader.class);
  /** Keys per page: one {@code SCAN} and one {@code MGET} round trip each. */
  static final int PAGE = 4000;
  private static final long PROGRESS_LOG_NANOS = 10_000_000_000L;
  private static final long WAIT_LOG_NANOS = 60_000_000_000L;
  /** Pages read ahead of the fills: enough to keep both threads busy, few enough to bound the memory. */
  private static final int PAGES_AHEAD = 2;
  /** The pause before scanning again when Redis did not answer. */
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
  private static final String NEAR_CACHE_FULL = "the near cache is full (near.max-items / near.max-bytes)";
  /** Marks the end of the pages. */
  private static final Object END = new Object();

  /**
   * Tests only: runs on the preload thread after a page was read from Redis and before it fills the near cache,
   * so that a test can write in exactly that window.
   */
  static volatile Consumer<List<String>> pageReadHook = encodedKeys -> { };

  private final String cacheName;
  private final NamespaceStore store;
  private final NearCache<?> near;
  private final CacheMetrics metrics;
  private final Host host;
  private final long refreshNanos;
  /** Counted down when the first preload ended. */
  private final CountDownLatch done = new CountDownLatch(1);
  /** Released by each flush that asks for another preload. */
  private final Semaphore rescans = new Semaphore(0);
  private final Thread thread;
  private volatile boolean stopped;

  /** A page read from Redis, with the near cache's ticket taken before the read. */
  record Page(List<String> encodedKeys, long ticket, List<StoredEntry> entries) {
  }

  /** How the cache reads a page and fills its near cache with it. */
  interface Host {

    /** Waits until the cache takes fills: its change-log follower has handed it the records it replays. */
    void awaitFills() throws InterruptedException;

    /** Reads the entries of {@code encodedKeys}, taking the near cache's ticket first. */
    Page read(List<String> encodedKeys);

    /** Fills the near cache with a page's values, by the usual version rule; returns how many it filled. */
    int fill(Page page);
  }

  /**
   * Prepares a preload; {@link #start} runs it.
   *
   * @param refresh how often the namespace is loaded again ({@code near.max-ttl}): a value the preload filled expires
   *     then, and the next scan fills it anew
   */
  NearPreloader(String cacheName, NamespaceStore store, NearCache<?> near, CacheMetrics metrics, Duration refresh,
      Host host) {
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.refreshNanos = Objects.requireNonNull(refresh, "refresh").toNanos();
    this.store = Objects.requireNonNull(store, "store");
    this.near = Objects.requireNonNull(near, "near");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.host = Objects.requireNonNull(host, "host");
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

  /** Stops the preload after its current page, or its wait for Redis (the cache is closing). */
  void stop() {
    stopped = true;
    thread.interrupt();
  }

  /** Waits until the first preload has ended (tests). */
  boolean awaitDone(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Loads the namespace again, after the near cache was flushed for a reason that leaves it empty for good (a log
   * gap, a data loss, a switch to another generation): a full local copy stays one.
   */
  void rescan() {
    if (!stopped && thread.isAlive()) {
      metrics.preload(0, true);
      rescans.release();
    }
  }

  private void run() {
    try {
      host.awaitFills();
      boolean first = true;
      while (!stopped) {
        scan();
        if (first) {
          first = false;
          done.countDown();
        }
        if (stopped) {
          break;
        }
        // the next flush that empties the near cache, or near.max-ttl, when what this scan filled expires
        rescans.tryAcquire(refreshNanos, TimeUnit.NANOSECONDS);
        rescans.drainPermits();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done.countDown();
    }
  }

  /** Scans the namespace to its end, again after each time Redis did not answer, unless the cache closes. */
  private void scan() throws InterruptedException {
    long start = System.nanoTime();
    LOG.info("cache '{}': preloading namespace {} into the near cache", cacheName, store.namespace());
    Progress progress = new Progress();
    metrics.preload(0, true);
    try {
      String end = null;
      while (end == null && !stopped) {
        try {
          end = scanOnce(progress);
        } catch (RedisUnavailableException e) {
          // Started during an outage, or cut off by one: scan again once Redis answers. Values already loaded
          // stay; filling them again changes nothing (same versions).
          if (System.nanoTime() >= progress.nextWaitLog) {
            progress.nextWaitLog = System.nanoTime() + WAIT_LOG_NANOS;
            LOG.warn("cache '{}': preload waiting for Redis after {} entries ({}); scanning again every {} ms (logged"
                + " once a minute)", cacheName, progress.loaded, e.getMessage(), RETRY_DELAY.toMillis());
          }
          Thread.sleep(RETRY_DELAY.toMillis());
        }
      }
      long millis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
      LOG.info("cache '{}': preloaded {} entries in {} ms ({} entries/s); {}", cacheName, progress.loaded, millis,
          progress.loaded * 1000 / millis, end == null ? "the cache was closed" : end);
    } catch (RuntimeException e) {
      if (stopped) {
        LOG.debug("cache '{}': preload ended by the cache's close after {} entries ({})", cacheName, progress.loaded,
            e.toString());
      } else {
        LOG.warn("cache '{}': preload stopped after {} entries ({}); reads fill the near cache as they go", cacheName,
            progress.loaded, e.getMessage());
      }
    } finally {
      // a flush during this scan asked for another: the preload goes on
      metrics.preload(progress.loaded, !stopped && rescans.availablePermits() > 0);
    }
  }

  /** Entries loaded so far, and when progress is logged next (preload thread only). */
  private static final class Progress {
    long loaded;
    long nextLog = System.nanoTime() + PROGRESS_LOG_NANOS;
    long nextWaitLog = System.nanoTime();
  }

  /**
   * Scans the namespace once, from its start.
   *
   * @return why the scan ended
   */
  private String scanOnce(Progress progress) throws InterruptedException {
    Fetcher fetcher = new Fetcher();
    Thread fetching = daemon(fetcher, "distcache-preload-fetch-");
    fetching.start();
    try {
      for (Object next = fetcher.take(); next instanceof Page page; next = fetcher.take()) {
        pageReadHook.accept(page.encodedKeys());
        progress.loaded += host.fill(page);
        metrics.preload(progress.loaded, true);
        if (System.nanoTime() >= progress.nextLog) {
          progress.nextLog = System.nanoTime() + PROGRESS_LOG_NANOS;
          LOG.info("cache '{}': preloaded {} entries so far", cacheName, progress.loaded);
        }
        if (near.isFull()) {
          // the pages read ahead would only evict what is loaded
          return NEAR_CACHE_FULL;
        }
      }
      return fetcher.end;
    } finally {
      fetching.interrupt();
    }
  }

  private Thread daemon(Runnable task, String namePrefix) {
    Thread thread = new Thread(task, namePrefix + cacheName);
    thread.setDaemon(true);
    return thread;
  }

  /** Reads pages ahead of the fills, at most {@value #PAGES_AHEAD} of them; ends with {@link #END} or a failure. */
  private final class Fetcher implements Runnable {

    private final BlockingQueue<Object> pages = new ArrayBlockingQueue<>(PAGES_AHEAD);
    private volatile String end = "the namespace was read to its end";

    @Override
    public void run() {
      Object last = END;
      boolean interrupted = false;
      try {
        NamespaceStore.ScanPage page = null;
        do {
          if (stopped) {
            end = "the cache was closed";
            break;
          }
          if (near.isFull()) {
            end = NEAR_CACHE_FULL;
            break;
          }
          page = store.scan(page, PAGE);
          List<String> encodedKeys = page.encodedKeys();
          if (!encodedKeys.isEmpty()) {
            pages.put(host.read(encodedKeys));
          }
        } while (!page.isLast());
      } catch (RuntimeException e) {
        last = e;
      } catch (InterruptedException e) {
        interrupted = true; // the filling thread is done and takes nothing more
      } catch (Error e) {
        last = new IllegalStateException("the preload's scan failed: " + e, e);
        throw e;
      } finally {
        // always the last word, so the filling thread never waits for a page that does not come
        if (!interrupted) {
          try {
            pages.put(last);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }

    /** The next page, {@link #END}, or the failure that ended the reads (thrown). */
    Object take() throws InterruptedException {
      Object next = pages.take();
      if (next instanceof RuntimeException failure) {
        throw failure;
      }
      return next;
    }
  }
}
