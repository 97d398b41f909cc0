package io.distcache.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.protocol.codec.fixture.Node;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Bytes written to fool the codec are refused with a {@link CorruptValueException} within 100 ms and
 * 10 MB of allocation: huge declared sizes, deep nesting, an LZ4 bomb, and a set of URLs.
 */
class HostileBytesTest {

  private static final long MAX_ALLOCATED_BYTES = 10L * 1024 * 1024;
  private static final long MAX_NANOS = 100_000_000L;
  /** A declared length of about 2^31: a varint of five bytes. */
  private static final byte[] HUGE_LENGTH = {(byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};

  /** The codec as CacheManagers build it by default: compatible format, default limits. */
  private final KryoValueCodec codec = new KryoValueCodec(
      ClassAllowList.defaults().withPackages(List.of(Codecs.FIXTURES)), 0, HostileBytesTest.class.getClassLoader(),
      CodecLimits.defaults(), CodecFormat.COMPATIBLE);

  /**
   * The payload of {@code one} with its length replaced by a huge one: the first byte where the encodings of
   * {@code one} and {@code two} (one element more) differ is the length.
   */
  private byte[] withHugeLength(Object one, Object two) {
    byte[] first = codec.encode(one).payload();
    byte[] second = codec.encode(two).payload();
    int at = Arrays.mismatch(first, second);
    ByteBuffer hostile = ByteBuffer.allocate(first.length + HUGE_LENGTH.length);
    hostile.put(first, 0, at).put(HUGE_LENGTH).put(first, at + 1, first.length - at - 1);
    return Arrays.copyOf(hostile.array(), hostile.position());
  }

  /** Decodes {@code payload}, asserting that it is refused as corrupt within the time and allocation bounds. */
  private void assertRefusedCheaply(byte flags, byte[] payload) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    codec.encode("warm-up");
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    long start = System.nanoTime();
    assertThatThrownBy(() -> codec.decode(flags, payload)).isInstanceOf(CorruptValueException.class);
    long nanos = System.nanoTime() - start;
    long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
    assertThat(allocated).as("bytes allocated refusing it").isLessThan(MAX_ALLOCATED_BYTES);
    assertThat(nanos).as("nanoseconds taken refusing it").isLessThan(MAX_NANOS);
  }

  @Test
  void hugeDeclaredSizesAreRefusedBeforeTheyAreAllocated() {
    List<Supplier<Object[]>> pairs = List.of(
        () -> new Object[] {new ArrayList<>(List.of(1)), new ArrayList<>(List.of(1, 2))},
        () -> new Object[] {new HashSet<>(List.of(1)), new HashSet<>(List.of(1, 2))},
        () -> new Object[] {new HashMap<>(Map.of(1, 1)), new HashMap<>(Map.of(1, 1, 2, 2))},
        () -> new Object[] {"é", "éé"},
        () -> new Object[] {new byte[] {1}, new byte[] {1, 2}},
        () -> new Object[] {new int[] {1}, new int[] {1, 2}},
        () -> new Object[] {new long[] {1}, new long[] {1, 2}},
        () -> new Object[] {new String[] {"a"}, new String[] {"a", "b"}},
        () -> new Object[] {new Integer[] {1}, new Integer[] {1, 2}},
        () -> new Object[] {new boolean[] {true}, new boolean[] {true, false}},
        () -> new Object[] {new java.util.TreeMap<>(Map.of(1, 1)), new java.util.TreeMap<>(Map.of(1, 1, 2, 2))});
    for (Supplier<Object[]> pair : pairs) {
      Object[] values = pair.get();
      assertRefusedCheaply(Envelope.CODEC_KRYO_COMPATIBLE, withHugeLength(values[0], values[1]));
    }
  }

  @Test
  void aHugeNumberOfFieldNamesIsRefusedBeforeTheyAreAllocated() {
    byte[] payload = codec.encode(new io.distcache.protocol.codec.fixture.Address("s", "c", "p")).payload();
    // after the class (1, a name id, the name) and the reference marker comes the number of field names
    com.esotericsoftware.kryo.io.Input header = new com.esotericsoftware.kryo.io.Input(payload);
    header.readVarInt(true);
    header.readVarInt(true);
    header.readString();
    header.readVarInt(true);
    int at = header.position();
    ByteBuffer hostile = ByteBuffer.allocate(payload.length + HUGE_LENGTH.length);
    hostile.put(payload, 0, at).put(HUGE_LENGTH).put(payload, at + 1, payload.length - at - 1);

    assertRefusedCheaply(Envelope.CODEC_KRYO_COMPATIBLE, Arrays.copyOf(hostile.array(), hostile.position()));
  }

  @Test
  void aValueThatHashesItselfIsRefusedInsteadOfOverflowingTheStack() {
    List<Object> self = new ArrayList<>();
    HashSet<Object> set = new HashSet<>();
    set.add(self);
    self.add(self);
    byte[] payload = codec.encode(set).payload();

    assertThatThrownBy(() -> codec.decode(Envelope.CODEC_KRYO_COMPATIBLE, payload))
        .isInstanceOf(CorruptValueException.class).hasRootCauseInstanceOf(StackOverflowError.class);
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedInsteadOfOverflowingTheStack() throws Exception {
    KryoValueCodec unlimited = new KryoValueCodec(ClassAllowList.defaults().withPackages(List.of(Codecs.FIXTURES)),
        0, getClass().getClassLoader(), new CodecLimits(Integer.MAX_VALUE, Integer.MAX_VALUE), CodecFormat.COMPATIBLE);
    AtomicReference<byte[]> deep = new AtomicReference<>();
    // Writing 50,000 levels needs a stack no caller thread has: the attacker's side, not ours.
    Thread writer = new Thread(null, () -> {
      Node node = new Node("root");
      for (int i = 0; i < 50_000; i++) {
        node = node.add("n" + i);
      }
      deep.set(unlimited.encode(node).payload());
    }, "deep-writer", 1L << 30);
    writer.start();
    writer.join();

    assertRefusedCheaply(Envelope.CODEC_KRYO_COMPATIBLE, deep.get());
    assertThatThrownBy(() -> codec.decode(Envelope.CODEC_KRYO_COMPATIBLE, deep.get())).hasMessageContaining("depth");
  }

  @Test
  void aValueAsDeepAsTheDefaultLimitDecodesOnASmallStack() throws Exception {
    Node root = new Node("root");
    Node node = root;
    for (int i = 1; i < CodecLimits.defaults().maxDepth() / 2; i++) {
      node = node.add("n" + i);
    }
    byte[] payload = codec.encode(node).payload();
    AtomicReference<Object> decoded = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader = new Thread(null, () -> {
      try {
        decoded.set(codec.decode(Envelope.CODEC_KRYO_COMPATIBLE, payload));
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "small-stack-reader", 256 * 1024);
    reader.start();
    reader.join();

    assertThat(failure.get()).isNull();
    assertThat(decoded.get()).isInstanceOf(Node.class);
  }

  @Test
  void anLz4BombIsRefusedBeforeItIsInflated() {
    byte[] bomb = new byte[4 + 64];
    ByteBuffer.wrap(bomb).putInt(64 * 255);
    KryoValueCodec small = new KryoValueCodec(ClassAllowList.defaults(), 0, getClass().getClassLoader(),
        new CodecLimits(100, 4096), CodecFormat.COMPATIBLE);
    assertThatThrownBy(() -> small.decode((byte) (Envelope.CODEC_KRYO | Envelope.COMPRESSED), bomb))
        .isInstanceOf(CorruptValueException.class).hasMessageContaining("codec.max-decoded-size");

    byte[] huge = new byte[4 + 16];
    ByteBuffer.wrap(huge).putInt(Integer.MAX_VALUE);
    assertRefusedCheaply((byte) (Envelope.CODEC_KRYO | Envelope.COMPRESSED), huge);
  }

  @Test
  void aSetOfUrlsIsRefusedWithoutTouchingTheNetwork() throws Exception {
    KryoValueCodec allowing = new KryoValueCodec(ClassAllowList.defaults().withClasses(List.of(URL.class.getName())),
        0, getClass().getClassLoader());
    HashSet<URL> urls = new HashSet<>();
    // never resolved while writing: hashCode of an unresolvable host is computed once and kept
    urls.add(new URL("http://distcache-hostile.invalid/"));
    byte[] payload = allowing.encode(urls).payload();

    long start = System.nanoTime();
    assertThatThrownBy(() -> codec.decode(Envelope.CODEC_KRYO, payload)).isInstanceOf(ClassNotAllowedException.class)
        .hasMessageContaining("java.net.URL");
    assertThat(System.nanoTime() - start).isLessThan(MAX_NANOS);
  }
}
