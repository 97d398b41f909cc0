package io.distcache.protocol.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * A value encoded by a {@link ValueCodec}, before it gets a version: the codec id and compression flag, and
 * the payload (compressed when {@link #COMPRESSED} is set); {@link Envelope} adds the version. Immutable: the payload is copied in and
 * out. Equality compares the payload's content.
 *
 * @param flags codec id (low 4 bits) plus {@link #COMPRESSED} when the payload is compressed
 * @param payload the encoded value
 */
public record EncodedValue(byte flags, byte[] payload) {

  /** The flag of an LZ4-compressed payload, whose first 4 bytes are the original length, big endian. */
  public static final byte COMPRESSED = 0x10;

  /** Copies the payload. */
  public EncodedValue {
    payload = Objects.requireNonNull(payload, "payload").clone();
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Whether the payload is LZ4-compressed. */
  public boolean isCompressed() {
    return (flags & COMPRESSED) != 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EncodedValue that && flags == that.flags && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return 31 * flags + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "EncodedValue[flags=" + String.format("0x%02x", flags & 0xFF) + ", payload=" + payload.length + " bytes]";
  }
}
