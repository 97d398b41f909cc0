package io.distcache.jcache.metrics;

import io.distcache.jcache.DistCache;
import io.distcache.jcache.DistCacheManager;
import io.distcache.jcache.coherence.ChangeLogFollower;
import io.distcache.jcache.coherence.FlushCause;
import io.distcache.jcache.counters.CacheMetrics;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.redis.CircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.ToDoubleFunction;
import javax.cache.Cache;

/**
 * Publishes one distcache {@link Cache} to a Micrometer registry: Micrometer's standard cache meters, which
 * stock cache dashboards read, and distcache's own. Every meter carries the tag {@code cache=<cache name>}
 * plus the tags given here.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>meaning</th></tr>
 *   <tr><td>{@code cache.gets}</td><td>function counter</td><td>{@code result=hit|miss}</td>
 *       <td>reads that found a value, in the near cache or in Redis / that found none</td></tr>
 *   <tr><td>{@code cache.puts}</td><td>function counter</td><td></td><td>values written to Redis</td></tr>
 *   <tr><td>{@code cache.evictions}</td><td>function counter</td><td></td>
 *       <td>near values dropped for max-items/max-bytes or for max-ttl/expiry</td></tr>
 *   <tr><td>{@code cache.size}</td><td>gauge</td><td></td>
 *       <td>near-cache entries, invalidation markers included (approximate)</td></tr>
 *   <tr><td>{@code distcache.near.gets}</td><td>function counter</td><td>{@code result=hit|miss}</td>
 *       <td>reads served by the near cache / that went on to Redis</td></tr>
 *   <tr><td>{@code distcache.remote.gets}</td><td>function counter</td><td>{@code result=hit|miss}</td>
 *       <td>reads sent to Redis that found / did not find the key</td></tr>
 *   <tr><td>{@code distcache.remote.latency}</td><td>timer</td><td></td>
 *       <td>Redis read round trips, with p50, p95, p99 and a histogram</td></tr>
 *   <tr><td>{@code distcache.apply.lag}</td><td>timer</td><td></td>
 *       <td>from a change's commit in Redis (the master's clock) to its near copy dropped in this JVM, with p50,
 *       p99 and a histogram: the staleness this cache saw</td></tr>
 *   <tr><td>{@code distcache.puts}</td><td>function counter</td><td></td><td>values written to Redis</td></tr>
 *   <tr><td>{@code distcache.replica.stale.reads}</td><td>function counter</td><td></td>
 *       <td>keys a replica answered with an older version than the cache knew, read again from the master</td></tr>
 *   <tr><td>{@code distcache.changelog.undecodable}</td><td>function counter</td><td></td>
 *       <td>change-log records whose key could not be decoded; each flushed the near cache</td></tr>
 *   <tr><td>{@code distcache.changelog.malformed}</td><td>function counter</td><td></td>
 *       <td>change-log records without a key or a numeric version, skipped (the CacheManager's follower)</td></tr>
 *   <tr><td>{@code distcache.follower.running}</td><td>gauge</td><td></td>
 *       <td>1 while the CacheManager's change-log follower thread is alive, else 0</td></tr>
 *   <tr><td>{@code distcache.near.flushes}</td><td>function counter</td>
 *       <td>{@code cause=log_gap|data_loss|switch|undecodable_record|apply_failure|tracking_restarted}</td>
 *       <td>times the whole near cache was dropped because the change log could no longer say exactly what
 *       changed (see {@link FlushCause})</td></tr>
 *   <tr><td>{@code distcache.breaker.state}</td><td>gauge</td><td>{@code state=closed|open|half_open}</td>
 *       <td>1 for the state the CacheManager's circuit breaker in front of Redis is in, else 0</td></tr>
 *   <tr><td>{@code distcache.replicas.bypassed}</td><td>gauge</td><td></td>
 *       <td>1 while the CacheManager reads from the master what it would read from replicas (they trail, do not
 *       answer, or may hold data the namespace lost), else 0</td></tr>
 *   <tr><td>{@code distcache.follower.failures}</td><td>function counter</td><td>{@code stage=listener|loop}</td>
 *       <td>failures the follower survived: a cache failing to apply records (it was flushed), or a step that
 *       failed with something other than a Redis error (restarted)</td></tr>
 *   <tr><td>{@code distcache.near.evictions}</td><td>function counter</td><td>{@code cause=size|expired}</td>
 *       <td>near values dropped for max-items/max-bytes, or for max-ttl/expiry</td></tr>
 *   <tr><td>{@code distcache.near.stale}</td><td>gauge</td><td></td>
 *       <td>1 while the near cache serves copies of a producer namespace that lost its data, until its producer
 *       switched it to the rebuilt generation, else 0</td></tr>
 *   <tr><td>{@code distcache.near.entries}</td><td>gauge</td><td></td>
 *       <td>near-cache entries, invalidation markers included (approximate)</td></tr>
 *   <tr><td>{@code distcache.near.weight}</td><td>gauge, bytes</td><td></td>
 *       <td>near-cache weight: encoded bytes, each entry counting at least max-bytes / max-items</td></tr>
 * </table>
 *
 * <p>The {@code cache.*} meters are those of Micrometer's {@link CacheMeterBinder}, counted from distcache's
 * own counters (the JSR-107 statistics need not be enabled); bind this binder instead of Micrometer's
 * {@code JCacheMetrics}, not next to it, since both register {@code cache.*}. Bind a cache once per registry:
 * each binding adds a latency and an apply-lag listener to the cache.
 */
public final class DistCacheMetrics extends CacheMeterBinder<Cache<?, ?>> {

  private final DistCache<?, ?> cache;
  private final Iterable<Tag> tags;

  /**
   * Creates a binder for a cache.
   *
   * @param cache a cache of the distcache provider
   * @param tags tags added to every meter, besides {@code cache}
   * @throws IllegalArgumentException when the cache belongs to another provider
   */
  public DistCacheMetrics(Cache<?, ?> cache, Iterable<Tag> tags) {
    super(Objects.requireNonNull(cache, "cache"), cache.getName(), Objects.requireNonNull(tags, "tags"));
    this.cache = distCache(cache);
    this.tags = getTagsWithCacheName();
  }

  private static DistCache<?, ?> distCache(Cache<?, ?> cache) {
    if (!(cache instanceof DistCache<?, ?> distCache)) {
      throw new IllegalArgumentException("cache '" + cache.getName() + "' is a " + cache.getClass().getName()
          + ", not a distcache cache; bind it with Micrometer's JCacheMetrics instead");
    }
    return distCache;
  }

  /**
   * Binds a cache's meters to a registry.
   *
   * @param tags key-value pairs, as {@link Tags#of(String...)} takes them
   * @return the cache, for chaining
   */
  public static <C extends Cache<?, ?>> C monitor(MeterRegistry registry, C cache, String... tags) {
    new DistCacheMetrics(cache, Tags.of(tags)).bindTo(registry);
    return cache;
  }

  @Override
  protected Long size() {
    return cache.nearCache().size();
  }

  @Override
  protected long hitCount() {
    CacheMetrics metrics = cache.metrics();
    return metrics.nearHits() + metrics.remoteHits();
  }

  @Override
  protected Long missCount() {
    return cache.metrics().remoteMisses() + cache.metrics().absentHits();
  }

  @Override
  protected Long evictionCount() {
    NearCache<?> near = cache.nearCache();
    return near.sizeEvictions() + near.expiryEvictions();
  }

  @Override
  protected long putCount() {
    return cache.metrics().puts();
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    CacheMetrics metrics = cache.metrics();
    NearCache<?> near = cache.nearCache();
    counter(registry, "distcache.near.gets", "reads served by the near cache", "result", "hit", metrics,
        CacheMetrics::nearHits);
    counter(registry, "distcache.near.gets", "reads the near cache could not serve", "result", "miss", metrics,
        m -> m.remoteHits() + m.remoteMisses());
    counter(registry, "distcache.near.gets", "reads answered absent by a remembered miss (negative caching)", "result",
        "absent", metrics, CacheMetrics::absentHits);
    counter(registry, "distcache.remote.gets", "Redis reads that found the key", "result", "hit", metrics,
        CacheMetrics::remoteHits);
    counter(registry, "distcache.remote.gets", "Redis reads that did not find the key", "result", "miss", metrics,
        CacheMetrics::remoteMisses);
    FunctionCounter.builder("distcache.puts", metrics, CacheMetrics::puts)
        .tags(tags).description("values written to Redis").register(registry);
    FunctionCounter.builder("distcache.replica.stale.reads", metrics, CacheMetrics::staleReplicaReads)
        .tags(tags).description("keys read again from the master: a replica answered with an outdated version")
        .register(registry);
    FunctionCounter.builder("distcache.changelog.undecodable", metrics, CacheMetrics::undecodableRecords)
        .tags(tags).description("change-log records whose key could not be decoded (near cache flushed)")
        .register(registry);
    FunctionCounter.builder("distcache.codec.undecodable", metrics, CacheMetrics::undecodableValues)
        .tags(tags).description("stored values that could not be decoded, read as misses").register(registry);
    FunctionCounter.builder("distcache.contention.retries", metrics, CacheMetrics::retries)
        .tags(tags).description("compare-and-set writes tried again: another writer changed the key first")
        .register(registry);
    FunctionCounter.builder("distcache.lease.waits", cache, DistCache::leaseWaits)
        .tags(tags).description("per-key leases taken only after waiting for another holder").register(registry);
    FunctionCounter.builder("distcache.near.evictions", near, NearCache::sizeEvictions)
        .tags(tags).tag("cause", "size").description("near values dropped for max-items / max-bytes")
        .register(registry);
    FunctionCounter.builder("distcache.near.evictions", near, NearCache::expiryEvictions)
        .tags(tags).tag("cause", "expired").description("near values dropped for near.max-ttl or expiry")
        .register(registry);
    for (FlushCause cause : FlushCause.values()) {
      FunctionCounter.builder("distcache.near.flushes", metrics, counters -> counters.flushes(cause))
          .tags(tags).tag("cause", cause.tag()).description("times the whole near cache was dropped, by cause")
          .register(registry);
    }
    Gauge.builder("distcache.near.stale", metrics, counters -> counters.stale() ? 1 : 0)
        .tags(tags).description("1 while near copies of a producer namespace that lost its data are served").register(registry);
    Gauge.builder("distcache.near.preload.entries", metrics, CacheMetrics::preloaded)
        .tags(tags).description("entries the preload (near.preload) loaded into the near cache so far").register(registry);
    Gauge.builder("distcache.near.preload.running", metrics, counters -> counters.preloading() ? 1 : 0)
        .tags(tags).description("1 while the preload runs").register(registry);
    Gauge.builder("distcache.near.entries", near, NearCache::size)
        .tags(tags).description("near-cache entries, invalidation markers included").register(registry);
    Gauge.builder("distcache.near.weight", near, NearCache::weightedSize)
        .tags(tags).baseUnit("bytes").description("near-cache weight (encoded bytes, at least max-bytes/max-items"
            + " per entry)").register(registry);
    DistCacheManager manager = cache.getCacheManager().unwrap(DistCacheManager.class);
    for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
      Gauge.builder("distcache.breaker.state", manager, m -> m.breakerState() == state ? 1 : 0)
          .tags(tags).tag("state", state.name().toLowerCase(Locale.ROOT))
          .description("1 for the state the circuit breaker in front of Redis is in, else 0").register(registry);
    }
    Gauge.builder("distcache.replicas.bypassed", manager, m -> m.replicaReadsOnMaster() ? 1 : 0)
        .tags(tags).description("1 while reads meant for replicas go to the master (replicas trail or do not answer)")
        .register(registry);
    ChangeLogFollower follower = manager.changeLogFollower();
    FunctionCounter.builder("distcache.changelog.malformed", follower, ChangeLogFollower::malformedRecords)
        .tags(tags).description("change-log records without a key or a numeric version, skipped").register(registry);
    Gauge.builder("distcache.follower.running", follower, running -> running.isRunning() ? 1 : 0)
        .tags(tags).description("1 while the change-log follower thread is alive").register(registry);
    FunctionCounter.builder("distcache.follower.failures", follower, ChangeLogFollower::listenerFailures)
        .tags(tags).tag("stage", "listener").description("caches that failed to apply change-log records (flushed)")
        .register(registry);
    FunctionCounter.builder("distcache.follower.failures", follower, ChangeLogFollower::loopFailures)
        .tags(tags).tag("stage", "loop").description("follower steps that failed and were restarted")
        .register(registry);
    Timer latency = Timer.builder("distcache.remote.latency")
        .tags(tags).description("Redis read round trips")
        .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram()
        .register(registry);
    LongConsumer recorder = nanos -> latency.record(nanos, TimeUnit.NANOSECONDS);
    metrics.addLatencyListener(recorder);
    Timer applyLag = Timer.builder("distcache.apply.lag")
        .tags(tags).description("from a change's commit in Redis to its near copy dropped in this JVM")
        .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
        .register(registry);
    metrics.addApplyLagListener(millis -> applyLag.record(millis, TimeUnit.MILLISECONDS));
  }

  private void counter(MeterRegistry registry, String name, String description, String tagKey, String tagValue,
      CacheMetrics metrics, ToDoubleFunction<CacheMetrics> count) {
    FunctionCounter.builder(name, metrics, count).tags(tags).tag(tagKey, tagValue).description(description)
        .register(registry);
  }
}
