package io.distcache.protocol.codec;

/**
 * What hostile or damaged bytes may make the codec do while decoding a value: how deep objects may nest and
 * how large a value may decompress to. Declared sizes of strings, arrays, collections and maps are bounded
 * as well, by the bytes that remain (every element takes at least one byte), so no limit is needed for them.
 *
 * @param maxDepth the deepest nesting of objects in a value (Kryo and Java serialization alike); deeper
 *     values are refused instead of overflowing the stack. At least 1.
 * @param maxDecodedBytes the most bytes a compressed value may decompress to. At least 1.
 */
public record CodecLimits(int maxDepth, int maxDecodedBytes) {

  private static final CodecLimits DEFAULTS = new CodecLimits(100, 64 * 1024 * 1024);

  /** Validates the components. */
  public CodecLimits {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
    }
    if (maxDecodedBytes < 1) {
      throw new IllegalArgumentException("maxDecodedBytes must be at least 1, was " + maxDecodedBytes);
    }
  }

  /** Nesting up to 100 levels, values up to 64 MiB decompressed. */
  public static CodecLimits defaults() {
    return DEFAULTS;
  }
}
