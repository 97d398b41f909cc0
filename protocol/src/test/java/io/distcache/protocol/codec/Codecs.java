package io.distcache.protocol.codec;

import java.util.List;

/** Codecs shared by the tests: a strict one that allows the fixtures only, a permissive one that also allows the forbidden package. */
final class Codecs {

  static final String FIXTURES = "io.distcache.protocol.codec.fixture.";
  static final String FORBIDDEN = "io.distcache.protocol.codec.forbidden.";

  private Codecs() {}

  static KryoValueCodec strict(int compressionThreshold) {
    return new KryoValueCodec(ClassAllowList.defaults().withPackages(List.of(FIXTURES)), compressionThreshold,
        Codecs.class.getClassLoader());
  }

  static KryoValueCodec strict() {
    return strict(0);
  }

  static KryoValueCodec permissive() {
    return new KryoValueCodec(ClassAllowList.defaults().withPackages(List.of(FIXTURES, FORBIDDEN)), 0,
        Codecs.class.getClassLoader());
  }

  static Object roundTrip(ValueCodec codec, Object value) {
    EncodedValue encoded = codec.encode(value);
    byte[] stored = Envelope.of(encoded, 1).toBytes();
    Envelope envelope = Envelope.parse(stored);
    return codec.decode(envelope.flags(), envelope.payload());
  }
}
