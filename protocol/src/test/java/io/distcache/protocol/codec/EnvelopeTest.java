package io.distcache.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {

  @Test
  void layoutIsFlagsThenBigEndianVersionThenPayload() {
    Envelope envelope = new Envelope(Envelope.CODEC_KRYO, 0x0102030405060708L, new byte[] {42, 43});

    assertThat(envelope.toBytes()).containsExactly(1, 1, 2, 3, 4, 5, 6, 7, 8, 42, 43);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1_700_000_000_000L})
  void parseRestoresWhatToBytesWrote(long version) {
    Envelope envelope = new Envelope((byte) (Envelope.CODEC_KRYO | Envelope.COMPRESSED), version, new byte[] {1, 2, 3});

    byte[] raw = envelope.toBytes();

    assertThat(Envelope.parse(raw)).isEqualTo(envelope);
    assertThat(Envelope.versionOf(raw)).isEqualTo(version);
    assertThat(Envelope.parse(raw).isCompressed()).isTrue();
    assertThat(Envelope.parse(raw).codecId()).isEqualTo(Envelope.CODEC_KRYO);
    assertThat(Envelope.parse(new Envelope(Envelope.CODEC_KRYO_COMPATIBLE, 1, new byte[] {1}).toBytes()).codecId())
        .isEqualTo(Envelope.CODEC_KRYO_COMPATIBLE);
  }

  @Test
  void aHeaderOnlyValueHasAnEmptyPayload() {
    Envelope parsed = Envelope.parse(new Envelope(Envelope.CODEC_KRYO, 5, new byte[0]).toBytes());

    assertThat(parsed.payload()).isEmpty();
    assertThat(parsed.version()).isEqualTo(5);
  }

  @Test
  void tombstonesCarryAVersionAndNoPayload() {
    Envelope tombstone = Envelope.tombstone(77);

    Envelope parsed = Envelope.parse(tombstone.toBytes());

    assertThat(parsed.isTombstone()).isTrue();
    assertThat(parsed.version()).isEqualTo(77);
    assertThat(parsed.payload()).isEmpty();
    assertThat(parsed.codecId()).isZero();
    assertThat(new Envelope(Envelope.CODEC_KRYO, 1, new byte[1]).isTombstone()).isFalse();
  }

  @Test
  void ofCombinesAnEncodedValueWithAVersion() {
    Envelope envelope = Envelope.of(new EncodedValue(Envelope.CODEC_KRYO, new byte[] {9}), 3);

    assertThat(envelope).isEqualTo(new Envelope(Envelope.CODEC_KRYO, 3, new byte[] {9}));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 8})
  void inputShorterThanTheHeaderIsCorrupt(int length) {
    byte[] raw = new byte[length];

    assertThatThrownBy(() -> Envelope.parse(raw))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining(length + " bytes is shorter than the 9-byte");
    assertThatThrownBy(() -> Envelope.versionOf(raw)).isInstanceOf(CorruptValueException.class);
  }

  @Test
  void unknownFlagBitsAreCorrupt() {
    byte[] raw = new Envelope(Envelope.CODEC_KRYO, 1, new byte[] {1}).toBytes();
    raw[0] = (byte) (raw[0] | 0x40);

    assertThatThrownBy(() -> Envelope.parse(raw))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("0x41")
        .hasMessageContaining("newer distcache");
  }

  /** Codec ids 1 (Kryo, positional) and 2 (Kryo, compatible) are known; 0 marks only tombstones. */
  @ParameterizedTest
  @ValueSource(bytes = {0, 3, 15})
  void unknownCodecIdsAreCorrupt(byte codecId) {
    byte[] raw = new Envelope(codecId, 1, new byte[] {1}).toBytes();

    assertThatThrownBy(() -> Envelope.parse(raw))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("codec id " + codecId);
  }

  @Test
  void theConstructorRefusesUnknownFlagBits() {
    assertThatThrownBy(() -> new Envelope((byte) 0x81, 1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x81");
  }

  @Test
  void payloadIsCopiedInAndOut() {
    byte[] payload = {1, 2, 3};
    Envelope envelope = new Envelope(Envelope.CODEC_KRYO, 1, payload);

    payload[0] = 99;
    envelope.payload()[1] = 99;

    assertThat(envelope.payload()).containsExactly(1, 2, 3);
  }

  @Test
  void parseDoesNotShareTheRawArray() {
    byte[] raw = new Envelope(Envelope.CODEC_KRYO, 1, new byte[] {5}).toBytes();
    Envelope parsed = Envelope.parse(raw);

    Arrays.fill(raw, (byte) 0);

    assertThat(parsed.payload()).containsExactly(5);
  }

  @Test
  void equalityComparesPayloadContentAndToStringHidesIt() {
    Envelope a = new Envelope(Envelope.CODEC_KRYO, 1, new byte[] {1, 2});
    Envelope b = new Envelope(Envelope.CODEC_KRYO, 1, new byte[] {1, 2});

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new Envelope(Envelope.CODEC_KRYO, 2, new byte[] {1, 2}));
    assertThat(a.toString()).isEqualTo("Envelope[flags=0x01, version=1, payload=2 bytes]");
    assertThat(new EncodedValue(Envelope.CODEC_KRYO, new byte[] {1})).isEqualTo(new EncodedValue(Envelope.CODEC_KRYO, new byte[] {1}));
  }
}
