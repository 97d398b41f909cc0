package io.distcache.jcache.counters;

import io.distcache.jcache.coherence.FlushCause;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * The read and write counters of one cache that JSR-107 statistics do not separate: near-cache hits,
 * Redis hits and misses, Redis read latency, puts, and how long changes took to reach the near cache. Always
 * on (a {@link LongAdder} increment per operation, a per-thread one for near hits, whether or not statistics
 * are enabled) and free of any metrics library, so the provider needs Micrometer only when
 * {@link io.distcache.jcache.metrics.DistCacheMetrics} is used.
 *
 * <p>A read that the near cache cannot serve goes to Redis, so near misses are the Redis reads:
 * {@code remoteHits() + remoteMisses()}.
 */
public final class CacheMetrics {

  private final PerThreadCounter nearHits = new PerThreadCounter();
  private final LongAdder absentHits = new LongAdder();
  private final LongAdder remoteHits = new LongAdder();
  private final LongAdder remoteMisses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder staleReplicaReads = new LongAdder();
  private final LongAdder undecodableRecords = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder undecodableValues = new LongAdder();
  private final List<LongConsumer> latencyListeners = new CopyOnWriteArrayList<>();
  private final List<LongConsumer> applyLagListeners = new CopyOnWriteArrayList<>();
  private final LongAdder[] flushes = new LongAdder[FlushCause.values().length];
  private volatile boolean stale;
  private volatile long preloaded;
  private volatile boolean preloading;

  /** Creates counters at zero. */
  public CacheMetrics() {
    for (int i = 0; i < flushes.length; i++) {
      flushes[i] = new LongAdder();
    }
  }

  /** Counts a read served by the near cache. */
  public void nearHit() {
    nearHits.increment();
  }

  /** Counts a read answered "absent" by a miss the near cache remembered (negative caching), without Redis. */
  public void absentHit() {
    absentHits.increment();
  }

  /** Reads answered "absent" by a remembered miss. */
  public long absentHits() {
    return absentHits.sum();
  }

  /**
   * Records a preload's progress.
   *
   * @param entries the entries it loaded into the near cache so far
   * @param running whether it is still going
   */
  public void preload(long entries, boolean running) {
    preloaded = entries;
    preloading = running;
  }

  /** The entries the last preload loaded into the near cache so far. */
  public long preloaded() {
    return preloaded;
  }

  /** Whether a preload is going now. */
  public boolean preloading() {
    return preloading;
  }

  /**
   * Counts reads that went to Redis and their duration.
   *
   * @param hits keys Redis held
   * @param misses keys Redis did not hold
   * @param nanos how long the Redis round trip took
   */
  public void remoteRead(int hits, int misses, long nanos) {
    remoteHits.add(hits);
    remoteMisses.add(misses);
    for (LongConsumer listener : latencyListeners) {
      listener.accept(nanos);
    }
  }

  /** Records whether the near cache serves copies of a producer namespace that lost its data, until it is rebuilt. */
  public void stale(boolean servingStaleCopies) {
    stale = servingStaleCopies;
  }

  /** Whether the near cache serves copies of a producer namespace that lost its data, until it is rebuilt. */
  public boolean stale() {
    return stale;
  }

  /** Counts a value written to Redis (put, replace, load, processor update). */
  public void put() {
    puts.increment();
  }

  /** Counts keys whose replica answer was older than what the cache knew, so they were read again from the master. */
  public void countStaleReplicaReads(int keys) {
    staleReplicaReads.add(keys);
  }

  /** Counts a change-log record whose key could not be decoded (the near cache was flushed for it). */
  public void countUndecodableRecord() {
    undecodableRecords.increment();
  }

  /** Counts a stored value that could not be decoded (read as a miss). */
  public void countUndecodableValue() {
    undecodableValues.increment();
  }

  /** Stored values that could not be decoded and were read as misses. */
  public long undecodableValues() {
    return undecodableValues.sum();
  }

  /** Counts a compare-and-set write tried again because another writer changed the key first. */
  public void countRetry() {
    retries.increment();
  }

  /** Compare-and-set writes tried again because another writer changed the key first. */
  public long retries() {
    return retries.sum();
  }

  /** Keys read again from the master because a replica answered with an older version than the cache knew. */
  public long staleReplicaReads() {
    return staleReplicaReads.sum();
  }

  /** Change-log records whose key could not be decoded; each flushed the near cache. */
  public long undecodableRecords() {
    return undecodableRecords.sum();
  }

  /** Reads served by the near cache. */
  public long nearHits() {
    return nearHits.sum();
  }

  /** Reads that went to Redis and found the key. */
  public long remoteHits() {
    return remoteHits.sum();
  }

  /** Reads that went to Redis and did not find the key. */
  public long remoteMisses() {
    return remoteMisses.sum();
  }

  /** Values written to Redis. */
  public long puts() {
    return puts.sum();
  }

  /** Adds a receiver of every Redis read's duration in nanoseconds (a latency timer). */
  public void addLatencyListener(LongConsumer listener) {
    latencyListeners.add(listener);
  }

  /** Removes a receiver added with {@link #addLatencyListener(LongConsumer)}. */
  public void removeLatencyListener(LongConsumer listener) {
    latencyListeners.remove(listener);
  }

  /** Counts a flush of the whole near cache. */
  public void flushed(FlushCause cause) {
    flushes[cause.ordinal()].increment();
  }

  /** Flushes of the whole near cache for {@code cause}. */
  public long flushes(FlushCause cause) {
    return flushes[cause.ordinal()].sum();
  }

  /**
   * Records that a change applied to the near cache (its copy dropped) {@code lagMillis} after it was committed
   * in Redis.
   */
  public void changeApplied(long lagMillis) {
    for (LongConsumer listener : applyLagListeners) {
      listener.accept(lagMillis);
    }
  }

  /** Adds a receiver of every applied change's lag from commit in Redis to this near cache, in milliseconds. */
  public void addApplyLagListener(LongConsumer listener) {
    applyLagListeners.add(listener);
  }
}
