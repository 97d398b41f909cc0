package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.coherence.ChangeLogFollower;
import io.distcache.jcache.configuration.CacheSettings;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.jcache.snapshot.SnapshotHeader;
import io.distcache.protocol.sabotage.Sabotage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps a cache's near cache warm and clean over the cache's life, as its CacheManager starts it: fills held
 * while the change-log follower replays what came before the cache, the preload ({@code near.preload}), the snapshot
 * on disk ({@code near.snapshot-dir}) and periodic sweeps of expired entries. {@link #stop()} ends the preload, the
 * snapshot and the sweeps.
 */
final class NearMaintenance<K> {

  private static final long SWEEP_INTERVAL_MILLIS = 60_000;
  private static final long MIN_SWEEP_INTERVAL_MILLIS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(NearMaintenance.class);

  private final String cacheName;
  private final CacheSettings settings;
  private final NamespaceStore store;
  private final NearCache<K> near;
  private final boolean sweeps;
  /** {@code null} without {@code near.preload} (or without near values). */
  private final NearPreloader preloader;
  /** {@code null} without {@code near.snapshot-dir} (or without near values). */
  private final NearSnapshots<K> snapshots;
  private volatile ScheduledFuture<?> sweeping;
  /** Completes once the follower has handed the cache the records it replays at the start (see followFrom). */
  private volatile CompletableFuture<Void> caughtUp = CompletableFuture.completedFuture(null);

  /**
   * @param sweeps whether to sweep: the near cache keeps values and has no per-entry expiry (an eternal policy)
   * @param preloader the preload, {@code null} without one
   * @param snapshots the snapshot, {@code null} without one
   */
  NearMaintenance(String cacheName, CacheSettings settings, NamespaceStore store, NearCache<K> near, boolean sweeps,
      NearPreloader preloader, NearSnapshots<K> snapshots) {
    this.cacheName = requireNonNull(cacheName, "cacheName");
    this.settings = requireNonNull(settings, "settings");
    this.store = requireNonNull(store, "store");
    this.near = requireNonNull(near, "near");
    this.sweeps = sweeps;
    this.preloader = preloader;
    this.snapshots = snapshots;
  }

  /**
   * Holds fills until {@code replayed} completes: the change-log follower is still handing this cache the records
   * from before it started, and a change made meanwhile reaches it only after them.
   */
  void followFrom(CompletableFuture<Void> replayed) {
    if (!replayed.isDone() && !Sabotage.FILL_DURING_REPLAY.isActive()) {
      near.holdFills();
      // What waiters wait for: they must find fills open once it completes.
      caughtUp = replayed.thenRun(near::openFills);
    }
  }

  /** Completes once the near cache takes fills again after the follower's replay. */
  CompletableFuture<Void> caughtUp() {
    return caughtUp;
  }

  /**
   * Waits up to {@code timeout} for the follower's replay, so a cache is normally handed out warm; after that, reads
   * go to Redis without filling until it ends.
   */
  void awaitReplay(Duration timeout) {
    try {
      caughtUp.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      LOG.info("cache '{}' (namespace {}): the change log's replay goes on after {}; reads fill the near cache once"
          + " it ends", cacheName, store.namespace(), timeout);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a replay's completion never fails", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts loading the namespace into the near cache ({@code near.preload}), once the change log is followed, and
   * waits for it up to {@code near.preload-wait}.
   */
  void startPreload() {
    if (preloader != null) {
      preloader.start(settings.near().preloadWait());
    }
  }

  /** Waits until the preload has ended, {@code true} at once without one (tests). */
  boolean awaitPreload(Duration timeout) throws InterruptedException {
    return preloader == null || preloader.awaitDone(timeout);
  }

  /**
   * Fills the near cache from its snapshot while Redis is unreachable ({@code near.snapshot-dir}), and drops what
   * it restored at {@code outage.stale-on-failure} after the snapshot's time unless Redis answered by then.
   *
   * @return what the restored values reflect, to follow the change log from; {@code null} when nothing was restored
   */
  SnapshotHeader restoreSnapshot(ScheduledExecutorService scheduler) {
    if (snapshots == null) {
      return null;
    }
    SnapshotHeader header = snapshots.restore();
    if (header != null) {
      snapshots.expireRestored(header, scheduler);
    }
    return header;
  }

  /** Writes the snapshot periodically from now on, and when the cache closes. */
  void startSnapshots(Supplier<ChangeLogFollower.Position> followerPosition, ScheduledExecutorService scheduler) {
    if (snapshots != null) {
      snapshots.start(followerPosition, settings.near().snapshotInterval(), scheduler);
    }
  }

  /**
   * Sweeps the near cache's expired entries periodically from now on (every {@code near.max-ttl}, at most a minute
   * apart), until the cache closes: without per-entry expiry Caffeine keeps them until they are replaced or evicted.
   */
  void startSweeps(ScheduledExecutorService scheduler) {
    if (!sweeps) {
      return;
    }
    long millis = Math.max(MIN_SWEEP_INTERVAL_MILLIS,
        Math.min(SWEEP_INTERVAL_MILLIS, settings.nearMaxTtl().toMillis()));
    sweeping = scheduler.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** A sweep that throws would end the schedule: it is logged and the next one runs. */
  private void sweepQuietly() {
    try {
      near.sweepExpired();
    } catch (RuntimeException e) {
      LOG.warn("cache '{}': sweeping expired near entries failed; the next sweep tries again", cacheName, e);
    }
  }

  /** Stops the preload, the snapshot (which writes a last one) and the sweeps: the cache closes. */
  void stop() {
    if (preloader != null) {
      preloader.stop();
    }
    if (snapshots != null) {
      snapshots.stop();
    }
    ScheduledFuture<?> scheduled = sweeping;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }
}
