package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.expiry.ExpiryCalculator;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.jcache.redis.StoredEntry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a cache's preload ({@link NearPreloader}) reads a page of its namespace and fills the near cache with it. */
final class PreloadPages<K, V> implements NearPreloader.Host {

  private static final Logger LOG = LoggerFactory.getLogger(PreloadPages.class);

  private final String cacheName;
  private final NamespaceStore store;
  private final NearCache<K> near;
  private final CacheReads<K, V> reads;
  private final ExpiryCalculator expiry;
  private final Supplier<CompletableFuture<Void>> caughtUp;

  /** {@code caughtUp} gives the stage that completes once the cache's follower replayed what it replays at start. */
  PreloadPages(String cacheName, NamespaceStore store, NearCache<K> near, CacheReads<K, V> reads,
      ExpiryCalculator expiry, Supplier<CompletableFuture<Void>> caughtUp) {
    this.cacheName = requireNonNull(cacheName, "cacheName");
    this.store = requireNonNull(store, "store");
    this.near = requireNonNull(near, "near");
    this.reads = requireNonNull(reads, "reads");
    this.expiry = requireNonNull(expiry, "expiry");
    this.caughtUp = requireNonNull(caughtUp, "caughtUp");
  }

  @Override
  public void awaitFills() throws InterruptedException {
    CompletableFuture<Void> replayed = caughtUp.get();
    if (!replayed.isDone()) {
      LOG.info("cache '{}' (namespace {}): the preload starts once the change log's replay is over (after Redis"
          + " answers, when it does not now)", cacheName, store.namespace());
    }
    try {
      replayed.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a replay's completion never fails", e);
    }
  }

  @Override
  public NearPreloader.Page read(List<String> encodedKeys) {
    long ticket = near.ticket();
    return new NearPreloader.Page(encodedKeys, ticket, store.readAll(encodedKeys, !expiry.isEternal()));
  }

  /**
   * The same version rule as any read's fill; an answer older than what the change log already said (a replica
   * trailing) is left out. That check is not the fill's: after a client-tracking invalidation the fill's rule
   * admits any answer read since, and only this one refuses a trailing replica's.
   */
  @Override
  public int fill(NearPreloader.Page page) {
    int filled = 0;
    for (int i = 0; i < page.entries().size(); i++) {
      StoredEntry entry = page.entries().get(i);
      K key = entry.isLive() ? reads.decodeKeyOrNull(page.encodedKeys().get(i)) : null;
      if (key == null || near.outdatingVersion(key, true, entry.version()) != NearCache.UP_TO_DATE) {
        continue;
      }
      V value = reads.decode(entry.envelope());
      if (value == null) {
        near.invalidate(key, entry.version());
      } else if (reads.fillNear(key, entry, value, page.ticket())) {
        filled++;
      }
    }
    return filled;
  }
}
