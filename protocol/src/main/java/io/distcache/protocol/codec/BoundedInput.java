package io.distcache.protocol.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

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

  @Override
  public String readString() {
    requireUtf8Chars();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    requireUtf8Chars();
    return super.readStringBuilder();
  }

  /** A UTF-8 string is written as its character count + 1, then at least one byte per character. */
  private void requireUtf8Chars() {
    if (position >= limit || !readVarIntFlag()) {
      return; // null, empty or ASCII: read byte by byte up to a terminator
    }
    int start = position;
    int countPlusOne = readVarIntFlag(true);
    requireRemaining(this, countPlusOne - 1L, 1, "a string");
    position = start;
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
