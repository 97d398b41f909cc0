package io.distcache.benchmarks.propagation;

import io.distcache.benchmarks.data.Payload;
import io.distcache.benchmarks.peer.DistcachePeer;
import io.distcache.benchmarks.peer.OpenCache;

/** Writes with {@code Cache.put} on a second distcache CacheManager over the edge's cache name. */
public final class CacheManagerSource implements UpdateSource {

  private final OpenCache writer;

  /** Opens the writing cache {@code cacheName} on its own provider and CacheManager. */
  public CacheManagerSource(String cacheName) {
    this.writer = DistcachePeer.open(cacheName, true, DistcachePeer.NEAR_ITEMS_FOR_HITS);
  }

  @Override
  public String label() {
    return "distcache `put` on another CacheManager";
  }

  @Override
  public void update(String key, Payload value) {
    writer.cache().put(key, value);
  }

  @Override
  public void close() {
    writer.close();
  }
}
