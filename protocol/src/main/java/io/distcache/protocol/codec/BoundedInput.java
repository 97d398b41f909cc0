package io.distcache.protocol.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A Kryo input over one value's bytes that refuses a declared string or primitive-array length the remaining
 * bytes cannot hold, before anything is allocated: ten hostile bytes cannot ask for gigabytes. The counts a
 * value declares also add up against a budget of a few times its length, since some elements (nulls in
 * some collection encodings) take no bytes, and nested collections each check against the same bytes.
 */
final class BoundedInput extends Input {

  /** Declared elements per byte of the value, in all: legitimate values declare at most about one. */
  private static final int ELEMENTS_PER_BYTE = 16;
  private static final int ELEMENTS_ALWAYS_ALLOWED = 1024;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private long elementBudget;

  BoundedInput(byte[] bytes, int offset, int length) {
    super(bytes, offset, length);
    this.elementBudget = (long) length * ELEMENTS_PER_BYTE + ELEMENTS_ALWAYS_ALLOWED;
  }

  /**
   * Refuses {@code count} elements of at least {@code bytesEach} bytes when fewer bytes remain, or when the
   * value's declared elements would exceed its budget.
   */
  static void requireRemaining(Input input, long count, int bytesEach, String what) {
    long remaining = input.limit() - input.position();
    if (count < 0 || count * bytesEach > remaining) {
      throw new KryoException(what + " declares " + count + " elements but only " + remaining + " bytes remain");
    }
    if (input instanceof BoundedInput bounded) {
      bounded.elementBudget -= count;
      if (bounded.elementBudget < 0) {
        throw new KryoException(what + " declares " + count + " elements: more, with the others, than a value of "
            + input.limit() + " bytes can hold");
      }
    }
  }

  /**
   * Also reads text that Kryo wrote in its UTF-8 form (every string but those of 2 to 32 characters) but that is all
   * ASCII, the usual case, in one copy: Kryo's own reader fills a {@code char[]} one character at a time, then copies
   * it into the string. (For malformed bytes Kryo's reader may repeat characters of an earlier string, left in its
   * buffer; the bytes are garbage either way.)
   */
  @Override
  public String readString() {
    int start = position;
    int count = utf8CharCount();
    if (count > 0 && isAscii(buffer, position, count)) {
      String text = new String(buffer, position, count, StandardCharsets.ISO_8859_1);
      position += count;
      return text;
    }
    position = start;
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    int start = position;
    utf8CharCount();
    position = start;
    return super.readStringBuilder();
  }

  /**
   * Reads the length of a string Kryo wrote in its UTF-8 form (its character count + 1, then at least one byte per
   * character) and refuses a count the remaining bytes cannot hold, or a negative one.
   *
   * @return the character count: 0 for an empty string; -1 for null, an empty input or Kryo's ASCII form (read byte
   *     by byte up to a marked last byte, so it needs no check)
   */
  private int utf8CharCount() {
    if (position >= limit || !readVarIntFlag()) {
      return -1;
    }
    int countPlusOne = readVarIntFlag(true);
    if (countPlusOne != 0) {
      requireRemaining(this, countPlusOne - 1L, 1, "a string");
    }
    return countPlusOne - 1;
  }

  /** Whether the bytes are all below 0x80; eight at a time, since they are mostly long runs of text. */
  private static boolean isAscii(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    for (; i <= end - Long.BYTES; i += Long.BYTES) {
      if (((long) LONGS.get(bytes, i) & 0x8080808080808080L) != 0) {
        return false;
      }
    }
    for (; i < end; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public byte[] readBytes(int length) {
    requireRemaining(this, length, 1, "a byte array");
    return super.readBytes(length);
  }

  @Override
  public char[] readChars(int length) {
    requireRemaining(this, length, 2, "a char array");
    return super.readChars(length);
  }

  @Override
  public short[] readShorts(int length) {
    requireRemaining(this, length, 2, "a short array");
    return super.readShorts(length);
  }

  @Override
  public int[] readInts(int length) {
    requireRemaining(this, length, 4, "an int array");
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    requireRemaining(this, length, 1, "an int array");
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    requireRemaining(this, length, 8, "a long array");
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    requireRemaining(this, length, 1, "a long array");
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    requireRemaining(this, length, 4, "a float array");
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    requireRemaining(this, length, 8, "a double array");
    return super.readDoubles(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    requireRemaining(this, length, 1, "a boolean array");
    return super.readBooleans(length);
  }
}
