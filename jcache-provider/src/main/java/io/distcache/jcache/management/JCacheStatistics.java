package io.distcache.jcache.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The statistics of one cache, recorded by the cache and exposed as its
 * {@code javax.cache:type=CacheStatistics} MXBean.
 *
 * <p>The counters are {@link LongAdder}s, so recording from many threads stays cheap; a reader may
 * therefore see an operation's hit before its timing. While {@linkplain #isEnabled() disabled} the
 * {@code record*} methods do nothing and the counters keep their values. A new instance is disabled.
 *
 * <p>Averages are the recorded time divided by the matching count ({@link #getCacheGets() gets},
 * {@link #getCachePuts() puts} or {@link #getCacheRemovals() removals}), in microseconds, and
 * {@code 0} while that count is zero; percentages are {@code 0} while there were no gets. So an
 * operation whose duration is recorded but that counted nothing (e.g. a put of an entry that
 * expires on creation) adds to the average of later ones.
 */
public final class JCacheStatistics implements CacheStatisticsMXBean {

  private static final float NANOS_PER_MICRO = 1_000f;

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getTimeNanos = new LongAdder();
  private final LongAdder putTimeNanos = new LongAdder();
  private final LongAdder removeTimeNanos = new LongAdder();
  private volatile boolean enabled;

  /** Turns recording on or off; the counters are kept either way (see {@link #clear()}). */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether the {@code record*} methods count. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Counts {@code n} gets that found their entry. */
  public void recordHits(long n) {
    record(hits, n);
  }

  /** Counts {@code n} gets that did not find their entry. */
  public void recordMisses(long n) {
    record(misses, n);
  }

  /** Counts {@code n} puts, updates included. */
  public void recordPuts(long n) {
    record(puts, n);
  }

  /** Counts {@code n} removals requested through the cache API. */
  public void recordRemovals(long n) {
    record(removals, n);
  }

  /** Counts {@code n} removals the cache made on its own to free up space. */
  public void recordEvictions(long n) {
    record(evictions, n);
  }

  /** Adds the duration of a get operation, loading time excluded. */
  public void recordGetTime(long nanos) {
    record(getTimeNanos, nanos);
  }

  /** Adds the duration of a put operation. */
  public void recordPutTime(long nanos) {
    record(putTimeNanos, nanos);
  }

  /** Adds the duration of a remove operation. */
  public void recordRemoveTime(long nanos) {
    record(removeTimeNanos, nanos);
  }

  /** When an operation that is timed starts: now while recording is enabled, else 0 (no clock read). */
  public long startTiming() {
    return enabled ? System.nanoTime() : 0;
  }

  /** Adds the duration of a get operation that started at {@code start} ({@link #startTiming()}). */
  public void recordGetTimeSince(long start) {
    if (enabled) {
      getTimeNanos.add(System.nanoTime() - start);
    }
  }

  /** Adds the duration of a put operation that started at {@code start} ({@link #startTiming()}). */
  public void recordPutTimeSince(long start) {
    if (enabled) {
      putTimeNanos.add(System.nanoTime() - start);
    }
  }

  /** Adds the duration of a remove operation that started at {@code start} ({@link #startTiming()}). */
  public void recordRemoveTimeSince(long start) {
    if (enabled) {
      removeTimeNanos.add(System.nanoTime() - start);
    }
  }

  private void record(LongAdder counter, long n) {
    if (enabled) {
      counter.add(n);
    }
  }

  /** Resets every counter and timing to zero, whether or not recording is enabled. */
  @Override
  public void clear() {
    hits.reset();
    misses.reset();
    puts.reset();
    removals.reset();
    evictions.reset();
    getTimeNanos.reset();
    putTimeNanos.reset();
    removeTimeNanos.reset();
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    return percentage(getCacheHits(), getCacheGets());
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    return percentage(getCacheMisses(), getCacheGets());
  }

  @Override
  public long getCacheGets() {
    return getCacheHits() + getCacheMisses();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  @Override
  public long getCacheEvictions() {
    return evictions.sum();
  }

  /** The mean get time in microseconds, {@code 0} before the first get. */
  @Override
  public float getAverageGetTime() {
    return averageMicros(getTimeNanos.sum(), getCacheGets());
  }

  /** The mean put time in microseconds, {@code 0} before the first put. */
  @Override
  public float getAveragePutTime() {
    return averageMicros(putTimeNanos.sum(), getCachePuts());
  }

  /** The mean remove time in microseconds, {@code 0} before the first removal. */
  @Override
  public float getAverageRemoveTime() {
    return averageMicros(removeTimeNanos.sum(), getCacheRemovals());
  }

  private static float percentage(long part, long total) {
    // Guarding the division keeps 0/0 from reporting NaN, which the TCK's all-zero checks reject.
    return total == 0 ? 0f : (float) (100.0 * part / total);
  }

  private static float averageMicros(long totalNanos, long count) {
    return count == 0 ? 0f : (float) ((double) totalNanos / count / NANOS_PER_MICRO);
  }
}
