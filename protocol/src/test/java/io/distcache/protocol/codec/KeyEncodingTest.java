package io.distcache.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** {@link KeyEncoder} with a {@link KeyEncoding}: the encoding's parts make the text, and decode rebuilds the key. */
class KeyEncodingTest {

  /** A key whose hash differs per instance, as a framework key caching an identity hash would. */
  static final class Framed {
    final String name;
    final int identity = System.identityHashCode(new Object());

    Framed(String name) {
      this.name = name;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Framed that && name.equals(that.name);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name);
    }
  }

  static final class FramedEncoding implements KeyEncoding {
    private final char tag;

    FramedEncoding(char tag) {
      this.tag = tag;
    }

    @Override
    public char tag() {
      return tag;
    }

    @Override
    public boolean handles(Object key) {
      return key instanceof Framed;
    }

    @Override
    public Object[] parts(Object key) {
      return new Object[] {((Framed) key).name};
    }

    @Override
    public Object key(Object[] parts) {
      return new Framed((String) parts[0]);
    }
  }

  private final KeyEncoder keys = new KeyEncoder(Codecs.strict(), KeyEncodings.of(List.of(new FramedEncoding('x'))));

  @Test
  void equalKeysGiveTheSameTextWhateverTheirFieldsAndDecodeToAnEqualKey() {
    Framed one = new Framed("a");
    Framed other = new Framed("a");

    String text = keys.encode(one);

    assertThat(text).startsWith("x:").isEqualTo(keys.encode(other));
    assertThat(keys.decode(text)).isEqualTo(one);
  }

  @Test
  void aTagNoInstalledEncodingKnowsIsNotAKey() {
    String text = keys.encode(new Framed("a"));
    KeyEncoder without = new KeyEncoder(Codecs.strict(), KeyEncodings.of(List.of()));

    assertThatThrownBy(() -> without.decode(text)).isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("KeyEncoding");
  }

  @Test
  void tagsMustBeFreeLowerCaseLetters() {
    assertThatThrownBy(() -> KeyEncodings.of(List.of(new FramedEncoding('s'))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tag 's'");
    assertThatThrownBy(() -> KeyEncodings.of(List.of(new FramedEncoding('x'), new FramedEncoding('x'))))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> KeyEncodings.of(List.of(new FramedEncoding('X'))))
        .isInstanceOf(IllegalStateException.class);
  }
}
