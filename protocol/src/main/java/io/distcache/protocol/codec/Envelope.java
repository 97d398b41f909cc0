package io.distcache.protocol.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * What goes in a Redis value (docs/design.md §3): a 1-byte flags header, an 8-byte big-endian version, then the
 * payload.
 *
 * <pre>
 * offset 0      flags: bits 0-3 codec id ({@link #CODEC_KRYO}), {@link #COMPRESSED}, {@link #TOMBSTONE}
 * offset 1..8   version, big endian (monotonic per key; Lua scripts compare it before writing)
 * offset 9..    payload: the codec's bytes, LZ4-compressed when flagged; empty for a tombstone
 * </pre>
 *
 * <p>Immutable: the payload is copied in and out. Equality compares the payload's content.
 *
 * @param flags codec id plus flag bits
 * @param version the value's version
 * @param payload the encoded value, possibly compressed
 */
public record Envelope(byte flags, long version, byte[] payload) {

  /** Bytes before the payload: flags and version. */
  public static final int HEADER_LENGTH = 9;
  /** Codec id (low 4 bits of the flags) of {@link KryoValueCodec}. */
  public static final byte CODEC_KRYO = 1;
  /** Codec id of {@link KryoValueCodec} writing fields by name ({@link CodecFormat#COMPATIBLE}). */
  public static final byte CODEC_KRYO_COMPATIBLE = 2;
  /** The payload is LZ4-compressed ({@link EncodedValue#COMPRESSED}, where a codec sets it). */
  public static final byte COMPRESSED = EncodedValue.COMPRESSED;
  /** A delete marker: readers treat the key as absent; its version still blocks older writes. */
  public static final byte TOMBSTONE = 0x20;

  private static final int CODEC_MASK = 0x0F;
  private static final int KNOWN_BITS = CODEC_MASK | COMPRESSED | TOMBSTONE;
  private static final byte[] EMPTY = new byte[0];
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * Validates and copies the payload.
   *
   * @throws IllegalArgumentException when the flags hold bits this version does not define
   */
  public Envelope {
    Objects.requireNonNull(payload, "payload");
    if ((flags & ~KNOWN_BITS) != 0) {
      throw new IllegalArgumentException("unknown flag bits in " + hex(flags));
    }
    payload = payload.clone();
  }

  /** An envelope for an encoded value at a version. */
  public static Envelope of(EncodedValue value, long version) {
    return new Envelope(value.flags(), version, value.payload());
  }

  /** A delete marker at a version (codec id 0, empty payload). */
  public static Envelope tombstone(long version) {
    return new Envelope(TOMBSTONE, version, EMPTY);
  }

  /**
   * Parses the bytes of a Redis value.
   *
   * @throws CorruptValueException when the bytes are shorter than the header, hold unknown flag bits or an
   *     unknown codec id
   */
  public static Envelope parse(byte[] raw) {
    byte flags = checkedFlags(raw);
    return new Envelope(flags, versionOf(raw), Arrays.copyOfRange(raw, HEADER_LENGTH, raw.length));
  }

  /**
   * Decodes the value held in the bytes of a Redis value, reading the payload where it lies (no copy of it
   * is made, unlike {@link #parse(byte[])}).
   *
   * @throws CorruptValueException as {@link #parse(byte[])} does, or when the codec cannot decode the payload
   * @throws IllegalArgumentException when the bytes are a tombstone, which has no value
   */
  public static Object decodeValue(byte[] raw, ValueCodec codec) {
    byte flags = checkedFlags(raw);
    return codec.decode(flags, raw, HEADER_LENGTH, raw.length - HEADER_LENGTH);
  }

  /** The bytes to store in Redis for an encoded value at a version (as {@code of(value, version).toBytes()}). */
  public static byte[] toBytes(EncodedValue value, long version) {
    byte[] payload = value.payload();
    byte[] raw = new byte[HEADER_LENGTH + payload.length];
    raw[0] = value.flags();
    BIG_ENDIAN_LONG.set(raw, 1, version);
    System.arraycopy(payload, 0, raw, HEADER_LENGTH, payload.length);
    return raw;
  }

  /** The flags of a Redis value, checked for a header, known bits and a known codec. */
  private static byte checkedFlags(byte[] raw) {
    requireHeader(raw);
    byte flags = raw[0];
    if ((flags & ~KNOWN_BITS) != 0) {
      throw new CorruptValueException("The value's flags " + hex(flags) + " hold bits this distcache version does"
          + " not know: it was written by a newer distcache or by another tool. Upgrade this application or"
          + " evict the key.");
    }
    int codec = flags & CODEC_MASK;
    if ((flags & TOMBSTONE) == 0 && codec != CODEC_KRYO && codec != CODEC_KRYO_COMPATIBLE) {
      throw new CorruptValueException("The value names codec id " + codec + " (flags " + hex(flags)
          + "), but this distcache version only reads codecs " + CODEC_KRYO + " and " + CODEC_KRYO_COMPATIBLE
          + " (Kryo). Upgrade this application or rebuild the namespace with a codec it knows.");
    }
    return flags;
  }

  /**
   * Reads the flags of a Redis value without parsing or copying the payload.
   *
   * @throws CorruptValueException when the bytes are shorter than the header
   */
  public static byte flagsOf(byte[] raw) {
    requireHeader(raw);
    return raw[0];
  }

  /**
   * Reads the version of a Redis value without parsing or copying the payload.
   *
   * @throws CorruptValueException when the bytes are shorter than the header
   */
  public static long versionOf(byte[] raw) {
    requireHeader(raw);
    return (long) BIG_ENDIAN_LONG.get(raw, 1);
  }

  /** The bytes to store in Redis. */
  public byte[] toBytes() {
    byte[] raw = new byte[HEADER_LENGTH + payload.length];
    raw[0] = flags;
    BIG_ENDIAN_LONG.set(raw, 1, version);
    System.arraycopy(payload, 0, raw, HEADER_LENGTH, payload.length);
    return raw;
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Whether this is a delete marker, which readers treat as absent. */
  public boolean isTombstone() {
    return (flags & TOMBSTONE) != 0;
  }

  /** Whether the payload is LZ4-compressed. */
  public boolean isCompressed() {
    return (flags & COMPRESSED) != 0;
  }

  /** The codec id (low 4 bits of the flags); 0 for a tombstone. */
  public int codecId() {
    return flags & CODEC_MASK;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Envelope that
        && flags == that.flags && version == that.version && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * flags + Long.hashCode(version)) + Arrays.hashCode(payload);
  }

  /** Flags, version and payload length; never the payload, which may hold personal data. */
  @Override
  public String toString() {
    return "Envelope[flags=" + hex(flags) + ", version=" + version + ", payload=" + payload.length + " bytes]";
  }

  private static void requireHeader(byte[] raw) {
    Objects.requireNonNull(raw, "raw");
    if (raw.length < HEADER_LENGTH) {
      throw new CorruptValueException("A cached value of " + raw.length + " bytes is shorter than the "
          + HEADER_LENGTH + "-byte distcache header: the key was written by another tool. Evict the key or keep"
          + " other tools out of the namespace.");
    }
  }

  static String hex(byte flags) {
    return String.format("0x%02x", flags & 0xFF);
  }
}
