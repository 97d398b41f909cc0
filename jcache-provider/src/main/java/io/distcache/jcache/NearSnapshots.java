package io.distcache.jcache;

import io.distcache.jcache.coherence.ChangeLogFollower;
import io.distcache.jcache.coherence.FlushCause;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.redis.CircuitBreaker;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.jcache.redis.StoredEntry;
import io.distcache.jcache.snapshot.SnapshotEntry;
import io.distcache.jcache.snapshot.SnapshotFile;
import io.distcache.jcache.snapshot.SnapshotHeader;
import io.distcache.protocol.namespace.Namespace;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache's near-cache snapshot on disk ({@code near.snapshot-dir}): written every {@code near.snapshot-interval}
 * and when the cache closes, read back when the cache starts while Redis is unreachable.
 *
 * <p>A snapshot holds the near values with their versions, and the change-log id up to which the follower had
 * applied every record when the values were collected: no value in it is older than a record up to that id. A
 * cache restored from it follows the log from that id, so once Redis answers, every change made since is applied
 * (an exact repair); if the log no longer holds that record, or the namespace has another generation, the near
 * cache is flushed instead. Until Redis answers, the restored values are served for at most
 * {@code outage.stale-on-failure} counted from the snapshot's time, as near copies are during any outage.
 *
 * <p>A snapshot is only written while Redis is reachable and the follower stands at a record: while Redis is
 * down the values are as old as the outage, and the snapshot written before it says so with its time.
 *
 * @param <K> the key type
 */
final class NearSnapshots<K> {

  private static final Logger LOG = LoggerFactory.getLogger(NearSnapshots.class);
  private static final long FILE_SLACK = 64L << 20;

  /** What the snapshot needs of its cache: key and value encoding, and the fill of a restored value. */
  interface Host<K> {

    /** The encoded form of a key, as in its Redis key. */
    String encodeKey(K key);

    /** The key of an encoded form; throws when it cannot be decoded. */
    K decodeKey(String encodedKey);

    /** The Redis value bytes of a near value held as an instance (store by reference). */
    byte[] envelopeOf(Object value, long version);

    /**
     * Fills the near cache with a restored value, by the usual version rule.
     *
     * @return whether it was decodable
     * @throws RuntimeException when the value is refused (a class outside the allow-list, or undecodable with
     *     {@code codec.on-undecodable=fail})
     */
    boolean restore(K key, StoredEntry entry, long ticket);

    /** Drops the whole near cache, for {@code cause}. */
    void flush(FlushCause cause, String reason);
  }

  private final String cacheName;
  private final SnapshotFile file;
  private final NamespaceStore store;
  private final NearCache<K> near;
  private final CircuitBreaker breaker;
  private final Host<K> host;
  private final Duration staleOnFailure;
  private final long maxFileBytes;
  private volatile Supplier<ChangeLogFollower.Position> position = () -> null;
  private volatile ScheduledFuture<?> periodic;
  private volatile ScheduledFuture<?> expiry;
  /** Whether the near cache holds restored values that Redis has not confirmed since. */
  private final AtomicBoolean unconfirmed = new AtomicBoolean();

  /**
   * The snapshot of cache {@code cacheName} in {@code directory}.
   *
   * @param maxNearBytes the near cache's {@code near.max-bytes}: a snapshot file far beyond it is not read
   */
  NearSnapshots(String cacheName, Path directory, NamespaceStore store, NearCache<K> near, CircuitBreaker breaker,
      Duration staleOnFailure, long maxNearBytes, Host<K> host) {
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.file = new SnapshotFile(Objects.requireNonNull(directory, "directory")
        .resolve(URLEncoder.encode(cacheName, StandardCharsets.UTF_8) + ".snapshot"));
    this.store = Objects.requireNonNull(store, "store");
    this.near = Objects.requireNonNull(near, "near");
    this.breaker = Objects.requireNonNull(breaker, "breaker");
    this.staleOnFailure = Objects.requireNonNull(staleOnFailure, "staleOnFailure");
    this.host = Objects.requireNonNull(host, "host");
    // Values count at their encoded size in the near cache; keys and per-entry fields come on top.
    this.maxFileBytes = maxNearBytes > (Long.MAX_VALUE - FILE_SLACK) / 2 ? Long.MAX_VALUE : 2 * maxNearBytes + FILE_SLACK;
  }

  /**
   * Fills the near cache from the snapshot, when there is one of this namespace recent enough to serve: taken less
   * than {@code outage.stale-on-failure} ago. Call it only while Redis is unreachable, before the log is followed.
   * A file that cannot be read, or belongs to another namespace, is ignored with a log line.
   *
   * @return what the restored values reflect, to follow the log from; {@code null} when nothing was restored
   */
  SnapshotHeader restore() {
    if (!file.exists()) {
      return null;
    }
    SnapshotFile.Snapshot snapshot;
    try {
      snapshot = file.read(maxFileBytes);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cache '{}': ignoring snapshot {}: {}; starting empty", cacheName, file.path(), e.getMessage());
      return null;
    }
    SnapshotHeader header = snapshot.header();
    String namespace = namespaceName();
    if (!header.namespace().equals(namespace)) {
      LOG.warn("cache '{}': ignoring snapshot {}: it is of namespace {}, not {}; starting empty", cacheName,
          file.path(), header.namespace(), namespace);
      return null;
    }
    long age = System.currentTimeMillis() - header.takenAtMillis();
    if (age >= staleOnFailure.toMillis()) {
      LOG.warn("cache '{}': ignoring snapshot {}: taken {} s ago, beyond outage.stale-on-failure {}; starting empty",
          cacheName, file.path(), age / 1000, staleOnFailure);
      return null;
    }
    String spaceBefore = store.namespace().space();
    store.moveTo(header.space().isEmpty() ? null : header.space());
    int restored = fill(snapshot.entries());
    if (restored < 0) {
      store.moveTo(spaceBefore);
      return null;
    }
    unconfirmed.set(true);
    LOG.info("cache '{}': Redis is unreachable; serving {} entries of snapshot {} (taken {} s ago, at change-log id {})"
        + " until it answers, for at most outage.stale-on-failure from the snapshot's time", cacheName, restored,
        file.path(), age / 1000, header.logId());
    return header;
  }

  /**
   * The restored values, or -1 (with the near cache reset) when an entry cannot be restored: a key or value this cache
   * cannot decode, or a value it refuses. Such a file is not this cache's, or was written by another release.
   */
  private int fill(List<SnapshotEntry> entries) {
    long ticket = near.ticket();
    long now = System.currentTimeMillis();
    Object space = store.namespace();
    int restored = 0;
    for (SnapshotEntry entry : entries) {
      boolean expires = entry.expiresAtMillis() != Long.MAX_VALUE;
      long ttlMillis = expires ? entry.expiresAtMillis() - now : -1;
      if (expires && ttlMillis <= 0) {
        continue;
      }
      try {
        StoredEntry stored = new StoredEntry(entry.envelope(), ttlMillis, space);
        if (!stored.isLive()) {
          throw new IllegalArgumentException("a tombstone where values belong");
        }
        if (host.restore(host.decodeKey(entry.encodedKey()), stored, ticket)) {
          restored++;
        }
      } catch (RuntimeException e) {
        near.reset();
        LOG.warn("cache '{}': ignoring snapshot {}: an entry this cache cannot restore ({}); starting empty",
            cacheName, file.path(), e.getMessage());
        return -1;
      }
    }
    return restored;
  }

  /**
   * Drops the restored values at {@code outage.stale-on-failure} after the snapshot's time, unless Redis answered
   * by then ({@link #confirmed}).
   */
  void expireRestored(SnapshotHeader header, ScheduledExecutorService scheduler) {
    long delay = header.takenAtMillis() + staleOnFailure.toMillis() - System.currentTimeMillis();
    expiry = scheduler.schedule(() -> {
      // Exactly one of this and confirmed() wins: a flush after the repair began would drop repaired values for
      // nothing, and a repair must not be skipped for a flush that did not happen.
      if (unconfirmed.compareAndSet(true, false)) {
        host.flush(FlushCause.SNAPSHOT_EXPIRED, "Redis still unreachable " + staleOnFailure + " (outage.stale-on-failure)"
            + " after its snapshot was taken; the restored entries are no longer served");
      }
    }, Math.max(0, delay), TimeUnit.MILLISECONDS);
  }

  /** Redis answered the follower: the restored values are being repaired from the change log. */
  void confirmed() {
    unconfirmed.set(false);
  }

  /** Writes the snapshot every {@code interval}, reading the follower's position from {@code followerPosition}. */
  void start(Supplier<ChangeLogFollower.Position> followerPosition, Duration interval,
      ScheduledExecutorService scheduler) {
    this.position = Objects.requireNonNull(followerPosition, "followerPosition");
    long millis = interval.toMillis();
    periodic = scheduler.scheduleWithFixedDelay(this::writeQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Stops the periodic writes and writes the snapshot a last time (the cache is closing). */
  void stop() {
    ScheduledFuture<?> writes = periodic;
    if (writes != null) {
      writes.cancel(false);
    }
    ScheduledFuture<?> restoredExpiry = expiry;
    if (restoredExpiry != null) {
      restoredExpiry.cancel(false);
    }
    writeQuietly();
  }

  private void writeQuietly() {
    try {
      write();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cache '{}': could not write snapshot {}: {}; the previous one stays", cacheName, file.path(),
          e.getMessage());
    }
  }

  /**
   * Writes the snapshot now, unless what the near cache holds cannot be placed in the change log: Redis is
   * unreachable, the values are restored ones not yet confirmed, or the follower does not stand at a record yet.
   *
   * @return whether it was written
   */
  boolean write() throws IOException {
    ChangeLogFollower.Position before = position.get();
    Namespace space = store.namespace();
    if (before == null || !before.isRecord() || unconfirmed.get() || breaker.state() != CircuitBreaker.State.CLOSED) {
      LOG.debug("cache '{}': no snapshot now (follower at {}, restored values unconfirmed: {}, breaker {})",
          cacheName, before, unconfirmed.get(), breaker.state());
      return false;
    }
    long takenAt = System.currentTimeMillis();
    List<SnapshotEntry> entries = collect(space);
    ChangeLogFollower.Position after = position.get();
    if (after == null || !Objects.equals(before.generation(), after.generation()) || store.namespace() != space) {
      // A switch or flush while collecting: the values may mix generations; the next interval writes one.
      return false;
    }
    String generation = before.generation() == null ? "" : before.generation();
    file.write(new SnapshotHeader(namespaceName(), generation, space.space(), before.lastId(), takenAt), entries);
    LOG.debug("cache '{}': wrote {} entries to snapshot {}", cacheName, entries.size(), file.path());
    return true;
  }

  private List<SnapshotEntry> collect(Object space) {
    List<SnapshotEntry> entries = new ArrayList<>();
    long nowNanos = System.nanoTime();
    long nowMillis = System.currentTimeMillis();
    near.forEachValue(space, (key, present) -> {
      if (present.expiresAtNanos() != Long.MAX_VALUE && present.expiresAtNanos() - nowNanos <= 0) {
        return; // expired: not served now, not worth restoring
      }
      long expiresAt = present.expiresAtNanos() == Long.MAX_VALUE
          ? Long.MAX_VALUE
          : nowMillis + (present.expiresAtNanos() - nowNanos) / 1_000_000;
      byte[] envelope = present.envelopeBytes();
      try {
        entries.add(new SnapshotEntry(host.encodeKey(key), expiresAt,
            envelope != null ? envelope : host.envelopeOf(present.value(), present.version())));
      } catch (RuntimeException e) {
        LOG.debug("cache '{}': an entry left out of the snapshot ({})", cacheName, e.toString());
      }
    });
    return entries;
  }

  /** The namespace's identity in its key space of any generation: its meta hash's key. */
  private String namespaceName() {
    return store.namespace().metaKey();
  }
}
