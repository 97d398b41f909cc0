package io.distcache.protocol.wire;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * The codec of every distcache connection: keys are strings in Netty's UTF-8 form, values raw bytes. It writes both
 * straight into the connection's output buffer and states their length up front. Lettuce's codec composed of
 * {@code StringCodec} and {@code ByteArrayCodec} cannot: it encodes each key into a {@link ByteBuffer} of its own
 * first, which a page of thousands of keys ({@code MGET}, a producer's pipelined writes) pays for on the I/O thread
 * and in garbage. It sends the bytes that codec sent.
 *
 * <p>Netty's UTF-8 form is the JDK's except for a malformed string: an unpaired surrogate becomes {@code '?'}, and so
 * may the character after it. Every form of a key this codec gives (the bytes written, their declared length, the
 * {@link ByteBuffer} Lettuce hashes to route a key to its cluster slot, {@link #slotOf}) is that one form, so a key is
 * always sent to the slot that holds it.
 */
public final class StringBytesCodec implements RedisCodec<String, byte[]>, ToByteBufEncoder<String, byte[]> {

  /** The one instance: the codec holds no state. */
  public static final StringBytesCodec INSTANCE = new StringBytesCodec();

  private static final byte[] EMPTY = new byte[0];

  private StringBytesCodec() {
  }

  /**
   * The cluster slot of {@code key} as this codec sends it. Lettuce's {@code SlotHash.getSlot(String)} hashes the
   * platform charset's bytes instead, which differ for a non-ASCII key where that charset is not UTF-8.
   */
  public static int slotOf(String key) {
    return SlotHash.getSlot(INSTANCE.encodeKey(key));
  }

  @Override
  public String decodeKey(ByteBuffer bytes) {
    return bytes == null ? "" : StringCodec.UTF8.decodeKey(bytes);
  }

  @Override
  public byte[] decodeValue(ByteBuffer bytes) {
    if (bytes == null || !bytes.hasRemaining()) {
      return EMPTY;
    }
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    return copy;
  }

  /** The bytes {@link #encodeKey(String, ByteBuf)} writes, for Lettuce's slot routing. */
  @Override
  public ByteBuffer encodeKey(String key) {
    if (key == null) {
      return ByteBuffer.wrap(EMPTY);
    }
    byte[] bytes = new byte[ByteBufUtil.utf8Bytes(key)];
    // reserves exactly the bytes written, where writeUtf8 would reserve three per character
    ByteBufUtil.reserveAndWriteUtf8(Unpooled.wrappedBuffer(bytes).clear(), key, bytes.length);
    return ByteBuffer.wrap(bytes);
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

  /**
   * The number of bytes {@link #encodeKey(String, ByteBuf)} or {@link #encodeValue(byte[], ByteBuf)} writes, as
   * {@link #isEstimateExact()} promises Lettuce, which writes it as the argument's length before the bytes. Netty
   * counts a malformed string's bytes as it writes them into any of its own buffers, which Lettuce's output buffers
   * are.
   */
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
}
