package io.distcache.benchmarks.wire;

import io.distcache.benchmarks.report.Group;
import io.distcache.benchmarks.report.Reported;
import io.distcache.protocol.wire.StringBytesCodec;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Encoding the arguments of one {@code MGET} of 4,000 entry keys (a preload's page) into an output buffer, as
 * Lettuce's I/O thread does before it writes them to the socket: with the codec composed of Lettuce's
 * {@code StringCodec} and {@code ByteArrayCodec}, which encodes each key into a buffer of its own first, and with
 * distcache's {@link StringBytesCodec}, which writes each key straight into the output. Both write the same bytes
 * (checked before the rows start).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WireEncodeBenchmark {

  private static final RedisCodec<String, byte[]> LETTUCE = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /** A page of entry keys as the preload sends them, and a pooled output buffer reused by every call. */
  @State(Scope.Thread)
  public static class Page {
    List<String> keys;
    ByteBuf output;

    @Setup
    public void prepare() {
      keys = IntStream.range(0, 4000)
          .mapToObj(i -> String.format(Locale.ROOT, "dc:{rows}:e:customer:%07d", 1_000_000 + i * 250)).toList();
      output = PooledByteBufAllocator.DEFAULT.directBuffer(256 * 1024);
      byte[] composed = bytes(encode(LETTUCE, this));
      byte[] direct = bytes(encode(StringBytesCodec.INSTANCE, this));
      if (!Arrays.equals(composed, direct)) {
        throw new IllegalStateException("the two codecs encode the page differently");
      }
    }

    @TearDown(Level.Trial)
    public void release() {
      output.release();
    }

    private static byte[] bytes(ByteBuf buffer) {
      byte[] bytes = new byte[buffer.readableBytes()];
      buffer.getBytes(buffer.readerIndex(), bytes);
      return bytes;
    }
  }

  @Benchmark
  @Reported(group = Group.ENCODE_KEYS, label = "Lettuce `StringCodec` + `ByteArrayCodec` (baseline)", baseline = true)
  public ByteBuf lettuceComposedCodec(Page page) {
    return encode(LETTUCE, page);
  }

  @Benchmark
  @Reported(group = Group.ENCODE_KEYS, label = "distcache `StringBytesCodec`")
  public ByteBuf distcacheCodec(Page page) {
    return encode(StringBytesCodec.INSTANCE, page);
  }

  private static ByteBuf encode(RedisCodec<String, byte[]> codec, Page page) {
    page.output.clear();
    new CommandArgs<>(codec).addKeys(page.keys).encode(page.output);
    return page.output;
  }
}
