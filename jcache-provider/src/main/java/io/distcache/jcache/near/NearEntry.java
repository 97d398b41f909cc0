package io.distcache.jcache.near;

import io.distcache.jcache.codec.Envelope;
import io.distcache.jcache.codec.ValueCodec;

/**
 * What the near cache holds for a key: a value, or a marker saying "changed at version v"
 * that keeps an older value read from a lagging node from being cached (the fill race).
 */
public sealed interface NearEntry permits NearEntry.Present, NearEntry.Invalidated {

  /** The version of the entry in Redis this near entry reflects. */
  long version();

  /**
   * A cached value, held either as the instance itself (store by reference) or as the bytes of its Redis
   * value, which {@link #value()} decodes afresh on every call (store by value): then no caller ever holds
   * the cached copy, and a read costs one decode instead of a copy.
   */
  final class Present implements NearEntry {

    private final Object held;
    /** Decodes {@link #held} (the Redis value bytes); {@code null} when it is the value itself. */
    private final ValueCodec decoder;
    private final long version;
    private final long expiresAtNanos;
    private final int encodedSize;
    /**
     * The clock tick of the last read reported to the eviction policy. Written racily by readers: a lost
     * write only reports one more read.
     */
    private int reportedTick = -1;

    private Present(Object held, ValueCodec decoder, long version, long expiresAtNanos, int encodedSize) {
      this.held = held;
      this.decoder = decoder;
      this.version = version;
      this.expiresAtNanos = expiresAtNanos;
      this.encodedSize = encodedSize;
    }

    /** A value held as the instance itself. */
    static Present instance(Object value, long version, long expiresAtNanos, int encodedSize) {
      return new Present(value, null, version, expiresAtNanos, encodedSize);
    }

    /** A value held as the bytes of its Redis value ({@link Envelope}), decoded with {@code decoder}. */
    static Present encoded(byte[] envelope, ValueCodec decoder, long version, long expiresAtNanos) {
      return new Present(envelope, decoder, version, expiresAtNanos, envelope.length);
    }

    /**
     * Whether a read at {@code tick} is the first of that tick, i.e. one to report to the eviction policy;
     * marks the tick as reported.
     */
    boolean firstReadIn(int tick) {
      if (reportedTick == tick) {
        return false;
      }
      reportedTick = tick;
      return true;
    }

    /** The same value with another deadline. */
    Present withDeadline(long newExpiresAtNanos) {
      return new Present(held, decoder, version, newExpiresAtNanos, encodedSize);
    }

    /**
     * The value: the cached instance itself, or a freshly decoded copy when the cache holds the value's
     * bytes (store by value).
     *
     * @throws io.distcache.jcache.codec.ClassNotAllowedException when the bytes name a class outside the
     *     codec's allow-list
     * @throws io.distcache.jcache.codec.CorruptValueException when the bytes cannot be decoded
     */
    public Object value() {
      return decoder == null ? held : Envelope.decodeValue((byte[]) held, decoder);
    }

    /** Its version in Redis. */
    @Override
    public long version() {
      return version;
    }

    /** {@link System#nanoTime()} deadline, {@link Long#MAX_VALUE} for none. */
    public long expiresAtNanos() {
      return expiresAtNanos;
    }

    /** The size of its Redis value, for the byte bound. */
    public int encodedSize() {
      return encodedSize;
    }

    /** Version, form and size; never the value, which may hold personal data. */
    @Override
    public String toString() {
      return "Present[version=" + version + ", " + (decoder == null ? "instance" : "encoded") + ", encodedSize="
          + encodedSize + "]";
    }
  }

  /**
   * A marker left by an invalidation.
   *
   * @param version the version that invalidated the key
   */
  record Invalidated(long version) implements NearEntry {
  }
}
