package io.distcache.benchmarks.codec;

import io.distcache.benchmarks.data.Payload;
import io.distcache.benchmarks.peer.PlainKryo;
import io.distcache.benchmarks.report.Group;
import io.distcache.benchmarks.report.Reported;
import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.CodecFormat;
import io.distcache.protocol.codec.CodecLimits;
import io.distcache.protocol.codec.EncodedValue;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.codec.ValueCodec;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding one stored value: distcache's codec (allow-list, bounded input, reference tracking, the envelope) next to
 * plain Kryo decoding the same value without any of that. Two values, each its own group: a 190-character ASCII
 * String (the warm-edge benchmark's; Kryo writes strings of over 32 characters in its UTF-8 form) and the 11-field
 * {@link Payload}. A remote read decodes the compatible format distcache writes by default; a by-value near hit
 * decodes a String in that same form, and a {@code Payload} re-encoded in the positional one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecodeBenchmark {

  /** The values, encoded once: by distcache's codec in both its formats, and by plain Kryo in its own. */
  @State(Scope.Benchmark)
  public static class Encoded {
    ValueCodec codec;
    PlainKryo plain;
    byte[] textEnvelope;
    byte[] payloadEnvelope;
    byte[] payloadPositionalEnvelope;
    byte[] plainText;
    byte[] plainPayload;

    @Setup
    public void encode() {
      codec = new KryoValueCodec(ClassAllowList.defaults().withPackages(List.of(Payload.class.getPackageName())),
          4096, DecodeBenchmark.class.getClassLoader(), CodecLimits.defaults(), CodecFormat.COMPATIBLE);
      plain = new PlainKryo();
      String text = String.format(Locale.ROOT, "%012d", 42) + "x".repeat(190 - 12);
      Payload payload = Payload.sample(42, 0);
      textEnvelope = envelope(codec.encode(text), Envelope.CODEC_KRYO_COMPATIBLE, text);
      payloadEnvelope = envelope(codec.encode(payload), Envelope.CODEC_KRYO_COMPATIBLE, payload);
      payloadPositionalEnvelope = envelope(codec.encodeLocal(payload), Envelope.CODEC_KRYO, payload);
      plainText = plain.encode(text);
      plainPayload = plain.encode(payload);
      requireDecodesTo(plain.decode(plainText), text);
      requireDecodesTo(plain.decode(plainPayload), payload);
    }

    /** The envelope of an encoded value, checked to be in the claimed format, uncompressed, and to decode back. */
    private byte[] envelope(EncodedValue encoded, byte format, Object value) {
      byte[] envelope = Envelope.toBytes(encoded, 1L);
      if (encoded.flags() != format) {
        throw new IllegalStateException("the row measures format " + format + " but the value was encoded with flags "
            + encoded.flags());
      }
      requireDecodesTo(Envelope.decodeValue(envelope, codec), value);
      return envelope;
    }

    private static void requireDecodesTo(Object decoded, Object value) {
      if (!value.equals(decoded)) {
        throw new IllegalStateException("the bytes of " + value + " decode to " + decoded);
      }
    }
  }

  @Benchmark
  @Reported(group = Group.DECODE_STRING, label = "plain Kryo (baseline)", baseline = true)
  public Object plainKryoText(Encoded state) {
    return state.plain.decode(state.plainText);
  }

  @Benchmark
  @Reported(group = Group.DECODE_STRING, label = "distcache codec (`codec.format=compatible`)")
  public Object distcacheText(Encoded state) {
    return Envelope.decodeValue(state.textEnvelope, state.codec);
  }

  @Benchmark
  @Reported(group = Group.DECODE_PAYLOAD, label = "plain Kryo (baseline)", baseline = true)
  public Object plainKryoPayload(Encoded state) {
    return state.plain.decode(state.plainPayload);
  }

  @Benchmark
  @Reported(group = Group.DECODE_PAYLOAD, label = "distcache codec, `codec.format=compatible` (a remote read)")
  public Object distcachePayload(Encoded state) {
    return Envelope.decodeValue(state.payloadEnvelope, state.codec);
  }

  @Benchmark
  @Reported(group = Group.DECODE_PAYLOAD, label = "distcache codec, positional (a by-value near hit)")
  public Object distcachePayloadPositional(Encoded state) {
    return Envelope.decodeValue(state.payloadPositionalEnvelope, state.codec);
  }
}
