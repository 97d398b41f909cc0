package io.distcache.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A declared length the remaining bytes cannot hold is refused before anything is allocated, for every
 * primitive array and for strings; a length that fits reads the values back.
 */
class BoundedInputTest {

  private static final byte[] SIXTEEN_BYTES = new byte[16];

  @Test
  void everyPrimitiveArrayFitsExactlyAndNotOneElementMore() {
    assertBounded(input -> input.readBooleans(17), input -> input.readBooleans(16), 16);
    assertBounded(input -> input.readBytes(17), input -> input.readBytes(16), 16);
    assertBounded(input -> input.readChars(9), input -> input.readChars(8), 8);
    assertBounded(input -> input.readShorts(9), input -> input.readShorts(8), 8);
    assertBounded(input -> input.readInts(5), input -> input.readInts(4), 4);
    assertBounded(input -> input.readFloats(5), input -> input.readFloats(4), 4);
    assertBounded(input -> input.readLongs(3), input -> input.readLongs(2), 2);
    assertBounded(input -> input.readDoubles(3), input -> input.readDoubles(2), 2);
    assertBounded(input -> input.readInts(17, true), input -> input.readInts(16, true), 16);
    assertBounded(input -> input.readLongs(17, true), input -> input.readLongs(16, true), 16);
  }

  @Test
  void aNegativeCountIsRefused() {
    assertThatThrownBy(() -> new BoundedInput(SIXTEEN_BYTES, 0, 16).readInts(-1))
        .isInstanceOf(KryoException.class).hasMessageContaining("declares -1 elements");
  }

  @Test
  void declaredCountsAddUpAgainstTheValuesBudget() {
    BoundedInput input = new BoundedInput(SIXTEEN_BYTES, 0, 16);
    // 16 bytes allow 16 * 16 + 1024 = 1280 declared elements in all; zero-byte elements cost only budget.
    BoundedInput.requireRemaining(input, 1280, 0, "a collection");
    assertThatThrownBy(() -> BoundedInput.requireRemaining(input, 1, 0, "another collection"))
        .isInstanceOf(KryoException.class).hasMessageContaining("more, with the others, than a value of 16 bytes");
  }

  @Test
  void aStringLongerThanItsBytesIsRefusedAndOneThatFitsIsRead() {
    byte[] written = utf8String("ééé");
    // Claim a longer string than the bytes hold: cut the value after its length.
    assertThatThrownBy(() -> new BoundedInput(written, 0, 2).readString())
        .isInstanceOf(KryoException.class).hasMessageContaining("a string declares 3 elements");
    assertThatThrownBy(() -> new BoundedInput(written, 0, 2).readStringBuilder())
        .isInstanceOf(KryoException.class).hasMessageContaining("a string");
    assertThat(new BoundedInput(written, 0, written.length).readString()).isEqualTo("ééé");
    assertThat(new BoundedInput(written, 0, written.length).readStringBuilder()).hasToString("ééé");
    byte[] ascii = utf8String("plain");
    assertThat(new BoundedInput(ascii, 0, ascii.length).readString()).isEqualTo("plain");
  }

  @Test
  void aNullOrEmptyStringIsReadBack() {
    // Kryo writes null as a flagged length of 0: a reader without references (keys) hands it to readString.
    byte[] nullString = utf8String(null);
    assertThat(new BoundedInput(nullString, 0, nullString.length).readString()).isNull();
    assertThat(new BoundedInput(nullString, 0, nullString.length).readStringBuilder()).isNull();
    byte[] empty = utf8String("");
    assertThat(new BoundedInput(empty, 0, empty.length).readString()).isEmpty();
  }

  @Test
  void aLongAsciiStringIsReadBackWholeAndTheReadEndsAfterIt() {
    // Kryo writes ASCII text of over 32 characters in its UTF-8 form; the lengths below are not multiples of 8, and
    // the non-ASCII character of the second string comes after its last whole 8-byte word.
    String text = "x".repeat(63) + "0123456789".repeat(20);
    String accented = "y".repeat(40) + "é";
    Output output = new Output(512, -1);
    output.writeString(text);
    output.writeString(accented);
    output.writeString(text + "é");
    output.writeInt(42);
    byte[] written = output.toBytes();

    BoundedInput input = new BoundedInput(written, 0, written.length);
    assertThat(input.readString()).isEqualTo(text);
    assertThat(input.readString()).isEqualTo(accented);
    assertThat(input.readString()).isEqualTo(text + "é");
    assertThat(input.readInt()).isEqualTo(42);
    assertThat(input.position()).isEqualTo(written.length);
  }

  @Test
  void anAsciiStringThatEndsAtTheLimitReadsNothingBeyondIt() {
    byte[] text = utf8String("z".repeat(45));
    // the value sits between bytes that are not ASCII
    byte[] framed = new byte[text.length + 9];
    Arrays.fill(framed, (byte) 0xFF);
    System.arraycopy(text, 0, framed, 1, text.length);

    BoundedInput input = new BoundedInput(framed, 1, text.length);
    assertThat(input.readString()).isEqualTo("z".repeat(45));
    assertThat(input.position()).isEqualTo(1 + text.length);
  }

  @Test
  void aNegativeStringLengthIsRefused() {
    // a flagged varint of 0xC0000000: the character count + 1 of a string, negative as an int
    byte[] hostile = {(byte) 0xC0, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x18, 'a'};
    assertThatThrownBy(() -> new BoundedInput(hostile, 0, hostile.length).readString())
        .isInstanceOf(KryoException.class).hasMessageContaining("a string declares");
    assertThatThrownBy(() -> new BoundedInput(hostile, 0, hostile.length).readStringBuilder())
        .isInstanceOf(KryoException.class).hasMessageContaining("a string declares");
  }

  @Test
  void domainClassesNeverTakeAJdkClass() {
    DomainClasses.register(List.of("java.lang.ProcessBuilder", "javax.naming.InitialContext", "jdk.internal.Unsafe",
        "sun.misc.Unsafe", "com.sun.rowset.JdbcRowSetImpl", "com.example.orders.Order"));
    assertThat(DomainClasses.contains("com.example.orders.Order")).isTrue();
    assertThat(List.of("java.lang.ProcessBuilder", "javax.naming.InitialContext", "jdk.internal.Unsafe",
        "sun.misc.Unsafe", "com.sun.rowset.JdbcRowSetImpl")).noneMatch(DomainClasses::contains);
    assertThat(DomainClasses.contains("com.example.orders.Unregistered")).isFalse();
  }

  private static byte[] utf8String(String text) {
    Output output = new Output(64);
    output.writeString(text);
    return output.toBytes();
  }

  private static void assertBounded(Function<BoundedInput, Object> tooMany, Function<BoundedInput, Object> fits,
      int elements) {
    assertThatThrownBy(() -> tooMany.apply(new BoundedInput(SIXTEEN_BYTES, 0, 16)))
        .isInstanceOf(KryoException.class).hasMessageContaining("only 16 bytes remain");
    Object read = fits.apply(new BoundedInput(SIXTEEN_BYTES, 0, 16));
    assertThat(java.lang.reflect.Array.getLength(read)).isEqualTo(elements);
  }
}
