package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.counters.CacheMetrics;
import io.distcache.jcache.expiry.ExpiryCalculator;
import io.distcache.jcache.management.JCacheStatistics;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.near.NearEntry;
import io.distcache.jcache.redis.StoredEntry;
import io.distcache.protocol.codec.KeyEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cache's {@code getAll}: near hits first, then one Redis round trip for the rest, then the loader for what is
 * still missing when the cache reads through (a loaded value is stored where the key is still absent; where
 * another writer stored one meanwhile, that newer value is the answer).
 */
final class BulkReads<K, V> {

  private final NearHits<K> hits;
  private final NearCache<K> near;
  private final CacheReads<K, V> reads;
  private final KeyEncoder keys;
  private final ExpiryCalculator expiry;
  private final OutcomePublisher<K, V> publisher;
  private final JCacheStatistics statistics;
  private final CacheMetrics metrics;
  /** {@code null} when the cache does not read through. */
  private final ReadThrough<K, V> loading;

  BulkReads(NearHits<K> hits, NearCache<K> near, CacheReads<K, V> reads, KeyEncoder keys, ExpiryCalculator expiry,
      OutcomePublisher<K, V> publisher, JCacheStatistics statistics, CacheMetrics metrics,
      ReadThrough<K, V> loading) {
    this.hits = requireNonNull(hits, "hits");
    this.near = requireNonNull(near, "near");
    this.reads = requireNonNull(reads, "reads");
    this.keys = requireNonNull(keys, "keys");
    this.expiry = requireNonNull(expiry, "expiry");
    this.publisher = requireNonNull(publisher, "publisher");
    this.statistics = requireNonNull(statistics, "statistics");
    this.metrics = requireNonNull(metrics, "metrics");
    this.loading = loading;
  }

  /** The values of the keys found: near hits first, then those read from Redis, then loaded ones; counts hits. */
  Map<K, V> getAll(Set<? extends K> keySet) {
    Map<K, V> result = new LinkedHashMap<>();
    List<K> remote = new ArrayList<>();
    List<K> missing = new ArrayList<>();
    for (K key : keySet) {
      NearEntry.Present cached = hits.present(key);
      if (cached == null && hits.knownAbsent(key)) {
        metrics.absentHit();
        missing.add(key);
      } else if (cached == null) {
        remote.add(key);
      } else {
        metrics.nearHit();
        V value = NearHits.valueOf(cached);
        result.put(key, value);
        publisher.accessed(key, null, cached.version(), value);
      }
    }
    if (!remote.isEmpty()) {
      readRemote(remote, result, missing);
    }
    statistics.recordHits(result.size());
    statistics.recordMisses(missing.size());
    if (!missing.isEmpty() && loading != null) {
      result.putAll(loading.loadMissing(missing));
    }
    return result;
  }

  /** Reads {@code remote} in one round trip: found values go to {@code result}, the others to {@code missing}. */
  private void readRemote(List<K> remote, Map<K, V> result, List<K> missing) {
    List<String> encodedKeys = remote.stream().map(keys::encode).toList();
    long ticket = near.ticket();
    long readStart = System.nanoTime();
    List<StoredEntry> stored = reads.readAllCurrent(remote, encodedKeys, !expiry.isEternal());
    long readNanos = System.nanoTime() - readStart;
    int found = 0;
    for (int i = 0; i < remote.size(); i++) {
      K key = remote.get(i);
      StoredEntry entry = stored.get(i);
      V value = entry.isLive() ? reads.fill(key, entry, ticket) : reads.rememberAbsence(key, entry, ticket);
      if (value != null) {
        found++;
        result.put(key, value);
        publisher.accessed(key, encodedKeys.get(i), entry.version(), value);
      } else {
        missing.add(key);
      }
    }
    metrics.remoteRead(found, remote.size() - found, readNanos);
  }
}
