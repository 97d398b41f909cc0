package io.distcache.jcache.near;

import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.ValueCodec;
import java.util.Objects;

/**
 * What the near cache holds for a key: a value, or a marker saying "changed at version v"
 * that keeps an older value read from a lagging node from being cached (the fill race) or returned.
 */
public sealed interface NearEntry permits NearEntry.Present, NearEntry.Absent, NearEntry.Invalidated {

  /** The version of the entry in Redis this near entry reflects. */
  long version();

  /**
   * A cached value, held either as the instance itself (store by reference, {@link Instance}) or as the bytes of
   * its Redis value, which {@link #value()} decodes afresh on every call (store by value, {@link Encoded}): then no
   * caller ever holds the cached copy, and a read costs one decode instead of a copy.
   *
   * <p>Its fields are laid out for a full local copy, where the heap is the limit: an entry takes 40 bytes besides
   * its key and value (or bytes), the encoded size and the last reported read tick share one {@code int}, and an
   * encoded entry's key space and decoder share one reference ({@link Origin}).
   */
  abstract sealed class Present implements NearEntry permits Present.Instance, Present.Encoded {

    /** Bits of {@link #sizeAndTick} holding the tick of the last read reported to the eviction policy. */
    private static final int TICK_BITS = 8;
    private static final int TICK_MASK = (1 << TICK_BITS) - 1;
    /** Sizes from here on are kept in KiB (flagged by this bit): 23 bits hold up to 8 GiB either way. */
    private static final int KIB_FLAG = 1 << 23;
    private static final int SIZE_LIMIT = KIB_FLAG - 1;

    private final long version;
    private final long expiresAtNanos;
    /**
     * The key space the value was read from (or written to), or for an {@link Encoded} entry the {@link Origin}
     * naming it; the value is served only while that space is current.
     */
    private final Object space;
    /**
     * The encoded size (upper 24 bits) and the low bits of the clock tick of the last read reported to the eviction
     * policy. The tick bits are written racily by readers, always with the same size bits: a lost write only reports
     * one more read, and a tick 256 ticks (6.4 s) later reads as reported once.
     */
    private int sizeAndTick;

    private Present(long version, long expiresAtNanos, int encodedSize, Object space) {
      if (encodedSize < 0) {
        throw new IllegalArgumentException("encodedSize must be >= 0, was " + encodedSize);
      }
      this.version = version;
      this.expiresAtNanos = expiresAtNanos;
      this.space = space;
      this.sizeAndTick = packSize(encodedSize) << TICK_BITS | TICK_MASK;
    }

    private static int packSize(int size) {
      return size <= SIZE_LIMIT ? size : KIB_FLAG | Math.min(SIZE_LIMIT, size >>> 10);
    }

    /** A value held as the instance itself. */
    static Present instance(Object value, long version, long expiresAtNanos, int encodedSize, Object space) {
      return new Instance(value, version, expiresAtNanos, encodedSize, space);
    }

    /** A value held as the bytes of its Redis value ({@link Envelope}), read from the space {@code origin} names. */
    static Present encoded(byte[] envelope, Origin origin, long version, long expiresAtNanos) {
      return new Encoded(envelope, origin, version, expiresAtNanos);
    }

    /** Whether the value was read from (or written to) {@code current}, the key space reads use now. */
    boolean readFrom(Object current) {
      return space == current || space instanceof Origin origin && origin.space() == current;
    }

    /** Whether it is past its deadline at {@code nowNanos} ({@link System#nanoTime()} or a coarse reading of it). */
    boolean expiredAt(long nowNanos) {
      return expiresAtNanos != Long.MAX_VALUE && nowNanos - expiresAtNanos >= 0;
    }

    /**
     * Whether a read at {@code tick} is the first of that tick, i.e. one to report to the eviction policy;
     * marks the tick as reported.
     */
    boolean firstReadIn(int tick) {
      int packed = sizeAndTick;
      int tickBits = tick & TICK_MASK;
      if ((packed & TICK_MASK) == tickBits) {
        return false;
      }
      sizeAndTick = (packed & ~TICK_MASK) | tickBits;
      return true;
    }

    /** The same value with another deadline. */
    abstract Present withDeadline(long newExpiresAtNanos);

    /**
     * The value: the cached instance itself, or a freshly decoded copy when the cache holds the value's
     * bytes (store by value).
     *
     * @throws io.distcache.protocol.codec.ClassNotAllowedException when the bytes name a class outside the
     *     codec's allow-list
     * @throws io.distcache.protocol.codec.CorruptValueException when the bytes cannot be decoded
     */
    public abstract Object value();

    /** The bytes of its Redis value when held by value, {@code null} when the value instance itself is held. */
    public abstract byte[] envelopeBytes();

    /** Its version in Redis. */
    @Override
    public long version() {
      return version;
    }

    /** {@link System#nanoTime()} deadline, {@link Long#MAX_VALUE} for none. */
    public long expiresAtNanos() {
      return expiresAtNanos;
    }

    /** The size of its Redis value, for the byte bound (to the KiB above 8 MiB). */
    public int encodedSize() {
      int size = sizeAndTick >>> TICK_BITS;
      return (size & KIB_FLAG) == 0 ? size : (int) Math.min(Integer.MAX_VALUE, (long) (size & SIZE_LIMIT) << 10);
    }

    Object space() {
      return space instanceof Origin origin ? origin.space() : space;
    }

    /** Version, form and size; never the value, which may hold personal data. */
    @Override
    public String toString() {
      return "Present[version=" + version + ", " + (envelopeBytes() == null ? "instance" : "encoded")
          + ", encodedSize=" + encodedSize() + "]";
    }

    /**
     * Where encoded entries came from: the key space they were read from and the codec that decodes them. The near
     * cache shares one among the entries of a space, so that an entry spends one reference on both.
     */
    record Origin(Object space, ValueCodec decoder) {

      /** Checks both. */
      Origin {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(decoder, "decoder");
      }
    }

    /** A value held as the instance itself (store by reference). */
    static final class Instance extends Present {

      private final Object value;

      private Instance(Object value, long version, long expiresAtNanos, int encodedSize, Object space) {
        super(version, expiresAtNanos, encodedSize, space);
        this.value = value;
      }

      @Override
      Present withDeadline(long newExpiresAtNanos) {
        return new Instance(value, version(), newExpiresAtNanos, encodedSize(), space());
      }

      @Override
      public Object value() {
        return value;
      }

      @Override
      public byte[] envelopeBytes() {
        return null;
      }
    }

    /** A value held as the bytes of its Redis value (store by value). */
    static final class Encoded extends Present {

      private final byte[] envelope;

      private Encoded(byte[] envelope, Origin origin, long version, long expiresAtNanos) {
        super(version, expiresAtNanos, envelope.length, Objects.requireNonNull(origin, "origin"));
        this.envelope = envelope;
      }

      private Origin origin() {
        return (Origin) ((Present) this).space;
      }

      @Override
      Present withDeadline(long newExpiresAtNanos) {
        return new Encoded(envelope, origin(), version(), newExpiresAtNanos);
      }

      @Override
      public Object value() {
        return Envelope.decodeValue(envelope, origin().decoder());
      }

      @Override
      public byte[] envelopeBytes() {
        return envelope;
      }
    }
  }

  /**
   * A confirmed miss (negative caching): Redis held no live entry for the key when it was read, so reads answer
   * "absent" without asking Redis again, until a change-log record of the key replaces this like any value.
   *
   * @param version the version of the tombstone Redis held, or {@link #NO_KEY} when it held nothing: below every
   *     version a write can have, so any record of the key supersedes it
   * @param space the key space the answer came from; it is served only while that space is current
   * @param expiresAtNanos the {@link System#nanoTime()} after which it is not served ({@code near.max-ttl}),
   *     {@link Long#MAX_VALUE} for never
   */
  record Absent(long version, Object space, long expiresAtNanos) implements NearEntry {

    /** The version of an absence with no tombstone behind it (producers' versions start at offset 0). */
    public static final long NO_KEY = -1;

    /** Whether the answer came from {@code current}, the key space reads use now. */
    boolean readFrom(Object current) {
      return space == current;
    }

    /** Whether it is past its deadline at {@code nowNanos}. */
    boolean expiredAt(long nowNanos) {
      return expiresAtNanos != Long.MAX_VALUE && nowNanos - expiresAtNanos >= 0;
    }
  }

  /**
   * A marker left by an invalidation: what this CacheManager knows of a key whose value it no longer
   * holds. It refuses fills of older values, and tells a read whether the answer it got from a replica
   * is older than what is known (then the read asks the master).
   *
   * @param version the version of the change, or for {@link Change#CHANGED_AFTER} the newest version known
   *     to be outdated ({@code -1}: none known)
   * @param change what happened to the key
   * @param ticket the near cache's invalidation clock when the marker was left: a fill whose read began
   *     earlier may carry the outdated value (used where the version of the change is unknown)
   * @param expiresAtNanos the {@link System#nanoTime()} after which the sweep drops it ({@code near.max-ttl} from
   *     when it was left, as long as a value lives)
   */
  record Invalidated(long version, Change change, long ticket, long expiresAtNanos) implements NearEntry {

    /** Whether it is past its deadline at {@code nowNanos}. */
    boolean expiredAt(long nowNanos) {
      return expiresAtNanos != Long.MAX_VALUE && nowNanos - expiresAtNanos >= 0;
    }


    /**
     * Whether a value of {@code candidate}, read from Redis by a read that began at {@code readTicket}, is
     * older. For a change of unknown version, a read that began after the invalidation is current: its
     * answer passed {@link #outdates} (a replica's) or came from the master.
     */
    boolean refuses(long candidate, long readTicket) {
      return switch (change) {
        case WRITTEN, REMOVED -> version > candidate;
        case CHANGED_AFTER -> ticket > readTicket;
      };
    }

    /**
     * Whether an answer from Redis ({@code live} or not, at {@code answerVersion}; 0 for a key that does not
     * exist) is older than this marker: the key was written at {@code version} and the answer predates it, or
     * it was removed at {@code version} and the answer is a value from before.
     */
    boolean outdates(boolean live, long answerVersion) {
      return switch (change) {
        case WRITTEN -> answerVersion < version;
        case REMOVED -> live && answerVersion < version;
        case CHANGED_AFTER -> version < 0 || (live && answerVersion <= version);
      };
    }
  }

  /** What an invalidation said about a key. */
  enum Change {
    /** A change-log record: the key was written, and has a value at the marker's version. */
    WRITTEN,
    /** A change-log record or this manager's own delete: the key was removed at the marker's version. */
    REMOVED,
    /** Redis client tracking: the key changed after the marker's version, to a version nobody told us. */
    CHANGED_AFTER
  }
}
