package io.distcache.protocol.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The compressed payload format: the original length (4 bytes, big endian) followed by one LZ4 block, so
 * a reader allocates exactly once.
 */
final class Lz4Block {

  private static final int LENGTH_PREFIX = 4;
  /**
   * LZ4 cannot expand a block more than 255-fold (each input byte adds at most 255 to a length), so a
   * larger declared length marks a corrupt payload and is refused before it is allocated.
   */
  private static final int MAX_EXPANSION = 255;
  private static final VarHandle BIG_ENDIAN_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
  // the safe decompressor bounds every write by the declared length, whatever the bytes say
  private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();

  private Lz4Block() {}

  /** Compresses the first {@code length} bytes of {@code source} into a length-prefixed block. */
  static byte[] compress(byte[] source, int length) {
    int bound = COMPRESSOR.maxCompressedLength(length);
    byte[] block = new byte[LENGTH_PREFIX + bound];
    BIG_ENDIAN_INT.set(block, 0, length);
    int compressed = COMPRESSOR.compress(source, 0, length, block, LENGTH_PREFIX, bound);
    return Arrays.copyOf(block, LENGTH_PREFIX + compressed);
  }

  /**
   * Restores the bytes of a block made by {@link #compress(byte[], int)}.
   *
   * @throws CorruptValueException when the block is truncated, declares an impossible length or one over
   *     {@code maxDecodedBytes}, or does not
   *     decompress to exactly the declared length
   */
  static byte[] decompress(byte[] block, int maxDecodedBytes) {
    if (block.length < LENGTH_PREFIX) {
      throw corrupt("it is only " + block.length + " bytes long", null);
    }
    int original = (int) BIG_ENDIAN_INT.get(block, 0);
    int compressed = block.length - LENGTH_PREFIX;
    if (original < 0 || original > (long) compressed * MAX_EXPANSION) {
      throw corrupt("it declares " + original + " original bytes for " + compressed + " compressed ones", null);
    }
    if (original > maxDecodedBytes) {
      throw corrupt("it declares " + original + " original bytes, more than codec.max-decoded-size ("
          + maxDecodedBytes + ")", null);
    }
    byte[] restored = new byte[original];
    int produced;
    try {
      produced = DECOMPRESSOR.decompress(block, LENGTH_PREFIX, compressed, restored, 0, original);
    } catch (LZ4Exception e) {
      throw corrupt("LZ4 rejected it (" + e.getMessage() + ")", e);
    }
    if (produced != original) {
      throw corrupt("it decompressed to " + produced + " bytes instead of the declared " + original, null);
    }
    return restored;
  }

  private static CorruptValueException corrupt(String problem, Throwable cause) {
    return new CorruptValueException("A compressed cached value is corrupt: " + problem
        + ". Evict the key; if this repeats, check that every writer of the namespace runs distcache.", cause);
  }
}
