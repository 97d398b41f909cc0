package io.distcache.protocol.wire;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The codec of every distcache connection: keys are UTF-8 strings, values raw bytes. It writes both straight into
 * the connection's output buffer and states their exact length up front. Lettuce's codec composed of
 * {@code StringCodec} and {@code ByteArrayCodec} cannot: it encodes each key into a {@link ByteBuffer} of its own
 * first, which a page of thousands of keys ({@code MGET}, a producer's pipelined writes) pays for on the I/O thread
 * and in garbage. The bytes sent are the same.
 */
public final class StringBytesCodec implements RedisCodec<String, byte[]>, ToByteBufEncoder<String, byte[]> {

  /** The one instance: the codec holds no state. */
  public static final StringBytesCodec INSTANCE = new StringBytesCodec();

  private static final byte[] EMPTY = new byte[0];

  private StringBytesCodec() {
  }

  @Override
  public String decodeKey(ByteBuffer bytes) {
    return new String(copy(bytes), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] decodeValue(ByteBuffer bytes) {
    return copy(bytes);
  }

  @Override
  public ByteBuffer encodeKey(String key) {
    return key == null ? ByteBuffer.wrap(EMPTY) : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public ByteBuffer encodeValue(byte[] value) {
    return ByteBuffer.wrap(value == null ? EMPTY : value);
  }

  @Override
  public void encodeKey(String key, ByteBuf target) {
    if (key != null) {
      ByteBufUtil.writeUtf8(target, key);
    }
  }

  @Override
  public void encodeValue(byte[] value, ByteBuf target) {
    if (value != null) {
      target.writeBytes(value);
    }
  }

  /** The exact length of a key's UTF-8 form or of a value, as {@link #isEstimateExact()} promises. */
  @Override
  public int estimateSize(Object keyOrValue) {
    if (keyOrValue == null) {
      return 0;
    }
    if (keyOrValue instanceof byte[] value) {
      return value.length;
    }
    if (keyOrValue instanceof String key) {
      return ByteBufUtil.utf8Bytes(key);
    }
    throw new IllegalArgumentException("a distcache connection sends String keys and byte[] values, not "
        + keyOrValue.getClass().getName());
  }

  @Override
  public boolean isEstimateExact() {
    return true;
  }

  private static byte[] copy(ByteBuffer bytes) {
    if (bytes == null || !bytes.hasRemaining()) {
      return EMPTY;
    }
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    return copy;
  }
}
