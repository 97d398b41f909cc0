package io.distcache.benchmarks.codec;

import io.distcache.benchmarks.data.Payload;
import io.distcache.benchmarks.peer.PlainKryo;
import io.distcache.benchmarks.report.Group;
import io.distcache.benchmarks.report.Reported;
import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.CodecFormat;
import io.distcache.protocol.codec.CodecLimits;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.codec.ValueCodec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding one stored value: distcache's codec (allow-list, bounded input, the envelope), as a by-value near hit and
 * a remote read do it, next to plain Kryo decoding the same value without any of that. Two values: a 190-character
 * ASCII String (the warm-edge benchmark's, which Kryo writes in its UTF-8 form) and the 11-field {@link Payload}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecodeBenchmark {

  /** The values, encoded once by each codec, in the format distcache writes by default. */
  @State(Scope.Benchmark)
  public static class Encoded {
    ValueCodec codec;
    PlainKryo plain;
    byte[] textEnvelope;
    byte[] payloadEnvelope;
    byte[] plainText;
    byte[] plainPayload;

    @Setup
    public void encode() {
      codec = new KryoValueCodec(ClassAllowList.defaults().withPackages(List.of(Payload.class.getPackageName())),
          4096, DecodeBenchmark.class.getClassLoader(), CodecLimits.defaults(), CodecFormat.COMPATIBLE);
      plain = new PlainKryo();
      String text = String.format("%012d", 42) + "x".repeat(178);
      Payload payload = Payload.sample(42, 0);
      textEnvelope = Envelope.toBytes(codec.encode(text), 1L);
      payloadEnvelope = Envelope.toBytes(codec.encode(payload), 1L);
      plainText = plain.encode(text);
      plainPayload = plain.encode(payload);
    }
  }

  @Benchmark
  @Reported(group = Group.DECODE, label = "plain Kryo, a 190-character String (baseline)", baseline = true)
  public Object plainKryoText(Encoded state) {
    return state.plain.decode(state.plainText);
  }

  @Benchmark
  @Reported(group = Group.DECODE, label = "distcache codec, a 190-character String")
  public Object distcacheText(Encoded state) {
    return Envelope.decodeValue(state.textEnvelope, state.codec);
  }

  @Benchmark
  @Reported(group = Group.DECODE, label = "plain Kryo, the 11-field `Payload`")
  public Object plainKryoPayload(Encoded state) {
    return state.plain.decode(state.plainPayload);
  }

  @Benchmark
  @Reported(group = Group.DECODE, label = "distcache codec, the 11-field `Payload` (`codec.format=compatible`)")
  public Object distcachePayload(Encoded state) {
    return Envelope.decodeValue(state.payloadEnvelope, state.codec);
  }
}
