package io.distcache.jcache.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-JVM copy of a namespace: a Caffeine cache bounded by items, bytes and time, whose entries
 * carry the Redis version they reflect.
 *
 * <p>Both bounds are enforced with one Caffeine weight: an entry weighs
 * {@code max(encoded size, maxBytes / maxItems)}, so a full cache holds at most {@code maxItems}
 * entries and at most {@code maxBytes} encoded bytes.
 *
 * <p>Writes to the near cache are version-ordered: an entry only replaces one with a lower version,
 * an invalidation at version v leaves a short-lived marker that refuses fills older than v, and a
 * clear at version v refuses every fill older than v. That closes the race where a read from a
 * lagging node returns an old value after the invalidation for the new one was already processed.
 */
public final class NearCache<K> {

  private final Cache<K, NearEntry> entries;
  private final long maxTtlNanos;
  private final AtomicLong clearedVersion = new AtomicLong();

  /**
   * Creates a near cache.
   *
   * @param maxItems the maximum number of entries
   * @param maxBytes the maximum sum of encoded entry sizes
   * @param maxTtl the maximum time any value is kept
   * @param markerTtl how long an invalidation marker refuses older fills
   */
  public NearCache(long maxItems, long maxBytes, Duration maxTtl, Duration markerTtl) {
    this.maxTtlNanos = maxTtl.toNanos();
    long unit = Math.max(1, Math.min(Integer.MAX_VALUE, ceilDiv(maxBytes, Math.max(1, maxItems))));
    long markerNanos = markerTtl.toNanos();
    this.entries = Caffeine.newBuilder()
        .maximumWeight(Math.max(1, maxBytes))
        .weigher((K key, NearEntry entry) -> entry instanceof NearEntry.Present present
            ? (int) Math.min(Integer.MAX_VALUE, Math.max(unit, present.encodedSize()))
            : (int) unit)
        .expireAfter(new EntryExpiry(markerNanos))
        .build();
  }

  private static long ceilDiv(long dividend, long divisor) {
    return (dividend + divisor - 1) / divisor;
  }

  /** The cached value entry, or {@code null} (absent, expired or only a marker). No I/O. */
  public NearEntry.Present get(K key) {
    return entries.getIfPresent(key) instanceof NearEntry.Present present ? present : null;
  }

  /**
   * Caches a value read from or just written to Redis, unless something newer was seen for it meanwhile.
   *
   * @param ttlMillis the entry's remaining TTL in Redis, negative for none
   */
  public void fill(K key, Object value, long version, long ttlMillis, int encodedSize) {
    if (version <= clearedVersion.get()) {
      return;
    }
    NearEntry.Present fresh = new NearEntry.Present(value, version, deadline(ttlMillis), encodedSize);
    entries.asMap().compute(key, (k, current) -> current != null && current.version() >= version ? current : fresh);
  }

  /** Drops the value of a key that changed to {@code version}, unless the near copy is already that new. */
  public void invalidate(K key, long version) {
    entries.asMap().compute(key, (k, current) -> {
      if (current != null && current.version() >= version) {
        return current;
      }
      return new NearEntry.Invalidated(version);
    });
  }

  /** Gives the cached value of {@code version} a new TTL (an access under an access-expiry policy). */
  public void retime(K key, long version, long ttlMillis) {
    entries.asMap().computeIfPresent(key, (k, current) -> current instanceof NearEntry.Present present
        && present.version() == version
        ? new NearEntry.Present(present.value(), version, deadline(ttlMillis), present.encodedSize())
        : current);
  }

  /** Drops every entry older than {@code version} and refuses such fills later (a namespace clear). */
  public void clear(long version) {
    clearedVersion.accumulateAndGet(version, Math::max);
    entries.asMap().values().removeIf(entry -> entry.version() < version);
  }

  /** Drops everything (the cache closes). */
  public void invalidateAll() {
    entries.invalidateAll();
  }

  /** Number of value and marker entries (approximate, for metrics and tests). */
  public long size() {
    return entries.estimatedSize();
  }

  /** The sum of the weights of all entries (approximate, for metrics and tests). */
  public long weightedSize() {
    return entries.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  /** Runs pending evictions now (tests and metrics want settled numbers). */
  public void cleanUp() {
    entries.cleanUp();
  }

  private long deadline(long ttlMillis) {
    long ttl = ttlMillis < 0 ? maxTtlNanos : Math.min(maxTtlNanos, ttlMillis * 1_000_000L);
    long now = System.nanoTime();
    return ttl >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ttl;
  }

  private static final class EntryExpiry implements Expiry<Object, NearEntry> {

    private final long markerNanos;

    EntryExpiry(long markerNanos) {
      this.markerNanos = markerNanos;
    }

    @Override
    public long expireAfterCreate(Object key, NearEntry entry, long currentTime) {
      if (entry instanceof NearEntry.Present present) {
        return present.expiresAtNanos() == Long.MAX_VALUE
            ? Long.MAX_VALUE
            : Math.max(0, present.expiresAtNanos() - currentTime);
      }
      return markerNanos;
    }

    @Override
    public long expireAfterUpdate(Object key, NearEntry entry, long currentTime, long currentDuration) {
      return expireAfterCreate(key, entry, currentTime);
    }

    @Override
    public long expireAfterRead(Object key, NearEntry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
