package io.distcache.jcache;

import io.distcache.jcache.coherence.ChangeListener;
import io.distcache.jcache.coherence.ChangeRecord;
import io.distcache.jcache.coherence.FlushCause;
import io.distcache.jcache.counters.CacheMetrics;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.redis.NamespaceStore;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one cache's near copies coherent with its namespace: applies the change-log records (and client-tracking
 * invalidations) the manager's follower hands it, flushes when the log can no longer say what changed, and moves the
 * cache's reads to a generation a producer switched to (docs/consistency.md).
 *
 * @param <K> the cache's key type
 */
final class NearCoherence<K> implements ChangeListener {

  private static final Logger LOG = LoggerFactory.getLogger(NearCoherence.class);
  private static final long UNDECODABLE_WARNING_INTERVAL_NANOS = 60_000_000_000L;

  private final String name;
  private final NamespaceStore store;
  private final NearCache<K> near;
  /** Decodes a record's key; throws for a key this JVM cannot decode. */
  private final Function<String, K> keyDecoder;
  private final CacheMetrics metrics;
  /** {@code null} without {@code near.preload}. */
  private final NearPreloader preloader;
  /** {@code null} without {@code near.snapshot-dir}. */
  private final NearSnapshots<K> snapshots;
  /**
   * When the last undecodable change-log record was logged: written by the follower's thread (and tracking's, for a
   * tracked namespace); a race costs at most one warning more or less.
   */
  private long lastUndecodableWarning = System.nanoTime() - UNDECODABLE_WARNING_INTERVAL_NANOS;

  /**
   * Wires the cache's near cache to the records of its namespace.
   *
   * @param preloader loads the namespace again after a flush that leaves the near cache empty for good; {@code null}
   *     without one
   * @param snapshots told when the change log still held the record its snapshot reflects; {@code null} without one
   */
  NearCoherence(String name, NamespaceStore store, NearCache<K> near, Function<String, K> keyDecoder,
      CacheMetrics metrics, NearPreloader preloader, NearSnapshots<K> snapshots) {
    this.name = Objects.requireNonNull(name, "name");
    this.store = Objects.requireNonNull(store, "store");
    this.near = Objects.requireNonNull(near, "near");
    this.keyDecoder = Objects.requireNonNull(keyDecoder, "keyDecoder");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.preloader = preloader;
    this.snapshots = snapshots;
  }

  @Override
  public void onSwitch(String space, FlushCause cause, String reason) {
    try {
      store.moveTo(space);
      metrics.stale(false);
    } finally {
      onReset(cause, reason);
    }
  }

  @Override
  public void onOwner(String owner) {
    store.noteOwner(owner);
  }

  @Override
  public void onResumed() {
    if (snapshots != null) {
      snapshots.confirmed();
    }
  }

  @Override
  public void onStale(String reason) {
    metrics.stale(true);
    LOG.warn("cache '{}' (namespace {}): {}; serving the near copies, marked stale, until it is rebuilt", name,
        store.namespace(), reason);
  }

  /**
   * Drops the whole near cache: the change log can no longer say exactly what changed. The versions the
   * near cache knew go with it, so reads use the master until a replica can no longer trail the flush.
   */
  @Override
  public void onReset(FlushCause cause, String reason) {
    store.readMasterUntilReplicasCaughtUp();
    near.reset();
    if (preloader != null && reloads(cause)) {
      preloader.rescan();
    }
    metrics.flushed(cause);
    LOG.info("cache '{}' (namespace {}): {}; near cache flushed", name, store.namespace(), reason);
  }

  /**
   * Whether a preloading cache loads the namespace again after a flush for {@code cause}: after those that leave it
   * empty for good, not after those that a stream of bad records or a flapping connection could repeat.
   */
  private static boolean reloads(FlushCause cause) {
    return switch (cause) {
      case LOG_GAP, DATA_LOSS, SWITCH -> true;
      // SNAPSHOT_EXPIRED only happens while Redis does not answer; the flush once it answers asks for the scan
      case UNDECODABLE_RECORD, APPLY_FAILURE, TRACKING_RESTARTED, SNAPSHOT_EXPIRED -> false;
    };
  }

  /**
   * Applies change-log records written by anyone (this JVM's own writes are already reflected). A record
   * whose key this JVM cannot decode (written by another tool, or by a release with a key encoding this
   * one lacks) flushes the near cache, since the key it names cannot be found in it; the other records
   * still apply.
   */
  @Override
  public void onChanges(List<ChangeRecord> records) {
    for (ChangeRecord record : records) {
      if (record.isClear()) {
        near.clear(record.version());
        continue;
      }
      K key;
      try {
        key = keyDecoder.apply(record.encodedKey());
      } catch (RuntimeException e) {
        onUndecodableRecord(e);
        continue;
      }
      if (record.version() == ChangeRecord.UNKNOWN_VERSION) {
        near.invalidateUnknownVersion(key);
      } else {
        near.invalidate(key, record.version());
      }
    }
    recordApplyLag(records);
  }

  /** The apply lag of each change whose commit time is known: Redis's clock at commit to this JVM's now. */
  private void recordApplyLag(List<ChangeRecord> records) {
    long applied = System.currentTimeMillis();
    for (ChangeRecord record : records) {
      if (record.committedMillis() != ChangeRecord.UNKNOWN_TIME) {
        // Clocks of two hosts may disagree by a little; a change is never applied before it was committed.
        metrics.changeApplied(Math.max(0, applied - record.committedMillis()));
      }
    }
  }

  private void onUndecodableRecord(RuntimeException failure) {
    store.readMasterUntilReplicasCaughtUp();
    near.reset();
    metrics.flushed(FlushCause.UNDECODABLE_RECORD);
    metrics.countUndecodableRecord();
    long now = System.nanoTime();
    if (now - lastUndecodableWarning >= UNDECODABLE_WARNING_INTERVAL_NANOS) {
      lastUndecodableWarning = now;
      LOG.warn("cache '{}' (namespace {}): a change of a key this JVM cannot decode ({}); near cache flushed ({} so far,"
          + " logged at most once a minute). Keep other tools out of the namespace, or deploy the same key types"
          + " and encodings everywhere", name, store.namespace(), failure.getMessage(), metrics.undecodableRecords());
    }
  }
}
