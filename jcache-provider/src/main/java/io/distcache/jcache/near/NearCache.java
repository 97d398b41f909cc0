package io.distcache.jcache.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.distcache.protocol.codec.ValueCodec;
import io.distcache.protocol.sabotage.Sabotage;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

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
 * The same knowledge answers {@link #outdatingVersion}: a replica's answer older than what this near
 * cache knows about the key must not be returned either, so the caller asks the master instead.
 * Markers live as long as {@code markerTtl} with per-entry expiry, else as long as values.
 *
 * <p>Without per-entry expiry, {@code near.max-ttl} is not Caffeine's: a hit compares the entry's deadline with a
 * coarse clock, an expired entry counts as not held (it neither answers nor blocks anything), and
 * {@link #sweepExpired} removes expired entries. Caffeine's {@code expireAfterWrite} would keep every entry in a
 * write-order list, 16 more bytes per entry.
 *
 * <p>A value is served only while the key space it was read from is the one reads use ({@link #get}'s
 * {@code space}): when a producer switches a namespace to a generation built in another key space, every value
 * of the old space stops being served the moment reads move, on every thread, before the flush that follows.
 *
 * <p>Every check against a marker or a clear runs inside the atomic install, so an invalidation or a
 * clear that lands while a fill is on its way is never lost to it. A fill carries the {@link #ticket()}
 * read before its Redis read began: markers whose change has no version (client tracking) refuse fills
 * that began before them, and a {@link #reset()} refuses every fill that began before it.
 *
 * <p>Reads are Caffeine's quiet lookups, and the first read of an entry in
 * each {@value CoarseTicker#RESOLUTION_MILLIS} ms tick is also reported to Caffeine's eviction policy.
 * Reporting a read costs an atomic update of Caffeine's read buffer and the policy's maintenance work
 * later, more than the rest of a hit. Rarely read entries have every read reported; an entry read more
 * often is reported once per tick (40 times a second), plenty for Caffeine's frequency sketch, whose
 * counters stop at 15 and are halved as the sketch ages, and for keeping it at the recent end of the LRU
 * order. (Caffeine's own read buffer drops reads by design too.)
 */
public final class NearCache<K> {

  private static final long NOTHING_CLEARED = -1;
  private static final long NO_VERSION_KNOWN = -1;
  /** What {@link #outdatingVersion} returns for an answer that is not older than what is known. */
  public static final long UP_TO_DATE = Long.MIN_VALUE;

  private final Cache<K, NearEntry> entries;
  private final Policy<K, NearEntry> policy;
  private final long maxTtlNanos;
  /** False for {@code maxItems == 0} or {@code maxBytes == 0}: no value is kept, every read goes to Redis. */
  private final boolean keepsValues;
  /** Fills at or below it are refused; -1 when nothing was cleared, since a producer's first offset is version 0. */
  private final AtomicLong clearedVersion = new AtomicLong(NOTHING_CLEARED);
  /** Counts invalidations without a version and resets; a fill's ticket is its value when the read began. */
  private final AtomicLong clock = new AtomicLong();
  /** The clock value of the last reset, {@link Long#MAX_VALUE} while fills are held: older tickets are refused. */
  private final AtomicLong lastReset = new AtomicLong();
  private final LongAdder sizeEvictions = new LongAdder();
  private final LongAdder expiryEvictions = new LongAdder();
  /** Shared by the encoded entries of one key space (a race only makes an equal one more); null before the first. */
  private volatile NearEntry.Present.Origin lastOrigin;

  /**
   * Creates a near cache.
   *
   * @param maxItems the maximum number of entries
   * @param maxBytes the maximum sum of encoded entry sizes
   * @param maxTtl the maximum time any value is kept
   * @param markerTtl how long an invalidation marker refuses older fills (with per-entry expiry)
   * @param perEntryExpiry whether entries carry their own TTLs (a JCache expiry policy other than
   *     eternal), which Caffeine enforces; otherwise every entry expires {@code maxTtl} after it was written, when
   *     read or swept
   */
  public NearCache(long maxItems, long maxBytes, Duration maxTtl, Duration markerTtl, boolean perEntryExpiry) {
    this.maxTtlNanos = Objects.requireNonNull(maxTtl, "maxTtl").toNanos();
    Objects.requireNonNull(markerTtl, "markerTtl");
    this.keepsValues = maxItems > 0 && maxBytes > 0;
    long unit = Math.max(1, Math.min(Integer.MAX_VALUE, ceilDiv(maxBytes, Math.max(1, maxItems))));
    Caffeine<K, NearEntry> builder = Caffeine.newBuilder()
        // unit * maxItems, not maxBytes: rounding the unit up must not cost the last item its place.
        .maximumWeight(Math.max(1, Math.max(maxBytes, unit * Math.max(1, maxItems))))
        .weigher((K key, NearEntry entry) -> entry instanceof NearEntry.Present present
            ? (int) Math.min(Integer.MAX_VALUE, Math.max(unit, present.encodedSize()))
            : (int) unit)
        .evictionListener((K key, NearEntry entry, RemovalCause cause) -> countEviction(entry, cause));
    // Per-entry expiry costs a timer-wheel update on every read (more than doubling a hit); only caches whose
    // JCache expiry policy gives entries their own TTLs need it. Without it, near.max-ttl is checked when an
    // entry is read, and expired entries are swept (sweepExpired) instead of kept in Caffeine's write order.
    this.entries = perEntryExpiry
        ? builder.expireAfter(new EntryExpiry(markerTtl.toNanos())).build()
        : builder.build();
    this.policy = entries.policy();
  }

  /** The origin of encoded entries from {@code space}: the last one made, while the space and codec stay. */
  private NearEntry.Present.Origin origin(Object space, ValueCodec decoder) {
    NearEntry.Present.Origin last = lastOrigin;
    if (last == null || last.space() != space || last.decoder() != decoder) {
      last = new NearEntry.Present.Origin(space, decoder);
      lastOrigin = last;
    }
    return last;
  }

  private static long ceilDiv(long dividend, long divisor) {
    return (dividend + divisor - 1) / divisor;
  }

  /**
   * The cached value entry, or {@code null} (absent, expired, only a marker, or read from another key space
   * than {@code space}). No I/O.
   *
   * @param space the key space reads use now (compared by identity with the one each value was read from)
   */
  public NearEntry.Present get(K key, Object space) {
    if (!(policy.getIfPresentQuietly(key) instanceof NearEntry.Present present) || !present.readFrom(space)
        || present.expiredAt(CoarseTicker.INSTANCE.read())) {
      return null;
    }
    if (present.firstReadIn(CoarseTicker.INSTANCE.ticks())) {
      entries.getIfPresent(key); // reports the read to the eviction policy
    }
    return present;
  }

  /**
   * Whether a confirmed miss of {@code key}, read from {@code space}, is held ({@link #fillAbsent}): then the key
   * is absent as far as the change log has told, and a read need not ask Redis. No I/O.
   */
  public boolean knownAbsent(K key, Object space) {
    // Caffeine's reporting lookup: a miss is read rarely enough that reporting each one costs little.
    return entries.getIfPresent(key) instanceof NearEntry.Absent absent && absent.readFrom(space)
        && !absent.expiredAt(CoarseTicker.INSTANCE.read());
  }

  /**
   * Whether this near cache keeps values at all: false for {@code maxItems == 0} or {@code maxBytes == 0},
   * where every read goes to Redis and a fill is not worth preparing.
   */
  public boolean keepsValues() {
    return keepsValues;
  }

  /**
   * Caches a value instance (store by reference) read from or just written to Redis, unless something
   * newer was seen for it meanwhile.
   *
   * @param ttlMillis the entry's remaining TTL in Redis, negative for none
   * @param space the key space the value was read from or written to, see {@link #get}
   * @return whether it was installed
   */
  public boolean fill(K key, Object value, long version, long ttlMillis, int encodedSize, long ticket, Object space) {
    return keepsValues
        && install(key, NearEntry.Present.instance(value, version, deadline(ttlMillis), encodedSize, space), ticket);
  }

  /**
   * Caches a value as the bytes of its Redis value (store by value: every read decodes its own copy),
   * unless something newer was seen for it meanwhile. The bytes must not change afterwards.
   *
   * @param envelope the Redis value ({@link io.distcache.protocol.codec.Envelope} bytes)
   * @param decoder the codec that decodes it
   * @param ttlMillis the entry's remaining TTL in Redis, negative for none
   * @param space the key space the value was read from or written to, see {@link #get}
   * @return whether it was installed
   */
  public boolean fillEncoded(K key, byte[] envelope, ValueCodec decoder, long version, long ttlMillis, long ticket,
      Object space) {
    // A zero bound must keep nothing at all: Caffeine would still admit one entry of the full
    // weight, and evicts over-weight entries only on its next (asynchronous) maintenance.
    return keepsValues
        && install(key, NearEntry.Present.encoded(envelope, origin(space, decoder), version, deadline(ttlMillis)),
            ticket);
  }

  /**
   * Remembers that Redis held no live entry for a key (negative caching), unless something newer was seen for it
   * since {@code ticket}: any change-log record of the key, a value this manager holds, or a reset.
   *
   * @param version the tombstone's version, or {@link NearEntry.Absent#NO_KEY} when Redis held nothing
   * @param space the key space the answer came from, see {@link #get}
   */
  public void fillAbsent(K key, long version, long ticket, Object space) {
    if (keepsValues) {
      NearEntry.Absent fresh = new NearEntry.Absent(version, space, deadline(-1));
      entries.asMap().compute(key, (k, current) -> admitsAbsence(current, version, ticket) ? fresh : current);
    }
  }

  /**
   * Unlike a value, an absence is not refused by a clear: a clear only removes entries, so the key is absent after
   * it too. A marker newer than the answer (any marker, for a missing key's {@code NO_KEY}), a value held, or a reset
   * since the read began refuses it.
   */
  private boolean admitsAbsence(NearEntry current, long version, long ticket) {
    if (Sabotage.ACCEPT_EVERY_FILL.isActive()) {
      return true;
    }
    if (ticket < lastReset.get()) {
      return false;
    }
    if (current == null) {
      return true;
    }
    if (current instanceof NearEntry.Invalidated marker) {
      // Only an answer at least as new as the marker: on a cluster a write's record comes before its data, so even
      // the master's "no key" after a record may predate the write (a tombstone at the marker's version does not).
      return marker.change() == NearEntry.Change.CHANGED_AFTER
          ? !marker.refuses(version, ticket)
          : version >= marker.version();
    }
    return current.version() < version || expired(current);
  }

  /**
   * Whether a value or remembered miss is past its deadline: then it counts as not held, as if Caffeine had dropped
   * it (it still does, with per-entry expiry).
   */
  private static boolean expired(NearEntry entry) {
    long now = System.nanoTime();
    return entry instanceof NearEntry.Present present ? present.expiredAt(now)
        : entry instanceof NearEntry.Absent absent && absent.expiredAt(now);
  }

  /** Installs {@code fresh} unless something newer is known; returns whether it did. */
  private boolean install(K key, NearEntry.Present fresh, long ticket) {
    // Every check runs inside compute: a clear, reset or invalidation either completes before it (and is
    // seen) or after it (and drops or supersedes what it installed).
    return entries.asMap().compute(key, (k, current) -> admits(current, fresh.version(), ticket) ? fresh : current)
        == fresh;
  }

  private boolean admits(NearEntry current, long version, long ticket) {
    if (Sabotage.ACCEPT_EVERY_FILL.isActive()) {
      return true;
    }
    if (ticket < lastReset.get() || version <= clearedVersion.get()) {
      return false;
    }
    // A marker of the same version is the change-log record of that very value (it may arrive before the
    // writer installs its own write) and must not block it.
    return current instanceof NearEntry.Invalidated marker
        ? !marker.refuses(version, ticket)
        : current == null || current.version() < version || expired(current);
  }

  /**
   * The near cache's clock. Read it before the Redis read whose result is filled, and pass it to the fill:
   * a fill that started before a reset, or before an invalidation of unknown version, may carry a value the
   * invalidation declared outdated.
   */
  public long ticket() {
    return clock.get();
  }

  /**
   * Whether what Redis answered for a key ({@code live} or not, at {@code version}: the value's or the
   * tombstone's version, 0 for no key) is older than what this near cache knows: its value, a change-log
   * record, this manager's own write or delete, a client-tracking invalidation, or a clear. A replica that trails
   * the master gives such answers; the caller must ask the master instead. No I/O.
   *
   * @return the known version the answer is older than, or {@link #UP_TO_DATE}
   */
  public long outdatingVersion(K key, boolean live, long version) {
    if (Sabotage.TRUST_OUTDATED_REPLICA_ANSWERS.isActive()) {
      return UP_TO_DATE;
    }
    long cleared = clearedVersion.get();
    if (live && version <= cleared) {
      return cleared;
    }
    NearEntry known = policy.getIfPresentQuietly(key);
    if (known instanceof NearEntry.Present || known instanceof NearEntry.Absent) {
      return version < known.version() && !expired(known) ? known.version() : UP_TO_DATE;
    }
    return known instanceof NearEntry.Invalidated marker && marker.outdates(live, version)
        ? marker.version() : UP_TO_DATE;
  }

  /** Drops the value of a key that a change-log record says was written (or removed) at {@code version}. */
  public void invalidate(K key, long version) {
    mark(key, version, NearEntry.Change.WRITTEN);
  }

  /** Drops the value of a key this manager removed (or expired) at {@code version}. */
  public void removed(K key, long version) {
    mark(key, version, NearEntry.Change.REMOVED);
  }

  private void mark(K key, long version, NearEntry.Change change) {
    entries.asMap().compute(key, (k, current) -> current != null && current.version() >= version
        ? current
        : new NearEntry.Invalidated(version, change, clock.get(), deadline(-1)));
  }

  /**
   * Records that the master holds no live entry for a key whose marker of {@code version} (the
   * {@link #outdatingVersion} of the read that asked the master) said it was written or changed: it was
   * removed since, so later answers without a value are current, not outdated.
   */
  public void confirmAbsent(K key, long version) {
    entries.asMap().computeIfPresent(key, (k, current) -> current instanceof NearEntry.Invalidated marker
        && marker.change() != NearEntry.Change.REMOVED && marker.version() == version
        ? new NearEntry.Invalidated(version, NearEntry.Change.REMOVED, marker.ticket(), marker.expiresAtNanos())
        : current);
  }

  /**
   * Drops the value of a key that changed to a version nobody told us (Redis client tracking). The
   * marker left behind, even for a key not held, refuses fills of the dropped value or older, and every
   * fill whose read began before the invalidation arrived.
   */
  public void invalidateUnknownVersion(K key) {
    long ticket = clock.incrementAndGet();
    entries.asMap().compute(key, (k, current) ->
        new NearEntry.Invalidated(outdatedVersion(current), NearEntry.Change.CHANGED_AFTER, ticket, deadline(-1)));
  }

  /** The newest version a client-tracking invalidation declares outdated, given what was held. */
  private static long outdatedVersion(NearEntry current) {
    if (current == null) {
      return NO_VERSION_KNOWN;
    }
    if (current instanceof NearEntry.Invalidated marker && marker.change() == NearEntry.Change.WRITTEN) {
      // The change that marker stands for may be the very one tracking reports now.
      return marker.version() - 1;
    }
    return current.version();
  }

  /** Gives the cached value of {@code version} a new TTL (an access under an access-expiry policy). */
  public void retime(K key, long version, long ttlMillis) {
    entries.asMap().computeIfPresent(key, (k, current) -> current instanceof NearEntry.Present present
        && present.version() == version
        ? present.withDeadline(deadline(ttlMillis))
        : current);
  }

  /** Drops every entry older than {@code version} and refuses such fills later (a namespace clear). */
  public void clear(long version) {
    clearedVersion.accumulateAndGet(version, Math::max);
    entries.asMap().values().removeIf(entry -> entry.version() < version);
  }

  /**
   * Refuses every fill until {@link #openFills}. For a near cache whose change-log follower is still replaying
   * records from before it started: a change made meanwhile is handed over only after them, so a copy filled now
   * could stay stale for as long as the replay takes. Reads go to Redis meanwhile.
   */
  public void holdFills() {
    lastReset.set(Long.MAX_VALUE);
  }

  /** Ends {@link #holdFills}: fills of reads that begin from now on are judged as usual. */
  public void openFills() {
    lastReset.compareAndSet(Long.MAX_VALUE, clock.incrementAndGet());
  }

  /**
   * Drops everything and forgets every version seen: the namespace was flushed or rebuilt, so its
   * versions may start again from 1.
   */
  public void reset() {
    // A maximum, not a plain write: two concurrent resets (follower and tracking threads) keep the later.
    lastReset.accumulateAndGet(clock.incrementAndGet(), Math::max);
    clearedVersion.set(NOTHING_CLEARED);
    entries.invalidateAll();
  }

  /**
   * Whether the near cache holds as much as its bounds allow (approximate): more entries would only evict others.
   */
  public boolean isFull() {
    return !keepsValues || policy.eviction().map(e -> e.weightedSize().orElse(0) >= e.getMaximum()).orElse(false);
  }

  /**
   * Calls {@code action} with every value read from {@code space} (weakly consistent: entries changed meanwhile may
   * or may not be seen). No I/O.
   */
  public void forEachValue(Object space, BiConsumer<K, NearEntry.Present> action) {
    entries.asMap().forEach((key, entry) -> {
      if (entry instanceof NearEntry.Present present && present.readFrom(space)) {
        action.accept(key, present);
      }
    });
  }

  /** Number of value and marker entries (approximate, for metrics and tests). */
  public long size() {
    return entries.estimatedSize();
  }

  /** Values (not markers) Caffeine dropped to stay within max-items / max-bytes (metrics). */
  public long sizeEvictions() {
    return sizeEvictions.sum();
  }

  /** Values (not markers) dropped because they reached near.max-ttl or their expiry (metrics). */
  public long expiryEvictions() {
    return expiryEvictions.sum();
  }

  private void countEviction(NearEntry entry, RemovalCause cause) {
    if (entry instanceof NearEntry.Present) {
      (cause == RemovalCause.SIZE ? sizeEvictions : expiryEvictions).increment();
    }
  }

  /** The sum of the weights of all entries (approximate, for metrics and tests). */
  public long weightedSize() {
    return entries.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  /** Runs pending evictions now, expired entries swept included (tests and metrics want settled numbers). */
  public void cleanUp() {
    sweepExpired();
    entries.cleanUp();
  }

  /**
   * Removes the entries past their deadline ({@code near.max-ttl}, or their expiry): values and remembered misses
   * are no longer served, markers no longer needed, and without per-entry expiry Caffeine does not drop them by
   * itself. Walks the whole cache.
   */
  public void sweepExpired() {
    long now = System.nanoTime();
    entries.asMap().forEach((key, entry) -> {
      boolean expired = entry instanceof NearEntry.Invalidated marker ? marker.expiredAt(now) : expired(entry);
      if (expired && entries.asMap().remove(key, entry) && entry instanceof NearEntry.Present) {
        expiryEvictions.increment();
      }
    });
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
      // An absence lasts as long as a value would: the change log drops it when the key is written.
      if (entry instanceof NearEntry.Absent absent) {
        return absent.expiresAtNanos() == Long.MAX_VALUE
            ? Long.MAX_VALUE
            : Math.max(0, absent.expiresAtNanos() - currentTime);
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
