package io.distcache.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The wire codec sends the bytes Lettuce's composed {@code StringCodec}/{@code ByteArrayCodec} sends, with a length
 * header that matches what follows for every key, routes each key by those same bytes, and a real redis-server reads
 * back what it wrote.
 */
class StringBytesCodecTest {

  private static final RedisCodec<String, byte[]> LETTUCE = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /** ASCII, empty, two- to four-byte UTF-8 forms. */
  private static final List<String> KEYS = List.of("dc:{rows}:e:customer:123456", "", "ключ", "日本語のキー",
      "emoji 😀 key", "x".repeat(5000));

  /** Unpaired surrogates, where Netty's UTF-8 form and the JDK's differ. */
  private static final List<String> MALFORMED_KEYS = List.of("\uD800", "a\uDC00b", "end\uD83D", "\uD800é",
      "\uD800\uD83D\uDE00", "\uD800\uD800");

  @StartedRedis
  RedisServer redis;

  @Test
  void keysAndValuesAreFramedExactlyAsLettucesOwnCodecFramesThem() {
    for (String key : allKeys()) {
      byte[] value = (key + "=value").getBytes(StandardCharsets.UTF_8);

      assertThat(encoded(StringBytesCodec.INSTANCE, key, value, Unpooled.buffer())).as(escaped(key))
          .isEqualTo(encoded(LETTUCE, key, value, Unpooled.buffer()));
    }
  }

  @Test
  void eachKeysLengthHeaderMatchesItsBytesWhichAreTheOnesItIsRoutedBy() {
    for (String key : allKeys()) {
      List<byte[]> arguments = bulkStrings(encoded(StringBytesCodec.INSTANCE, key, new byte[] {1, 2},
          Unpooled.buffer()));

      assertThat(arguments).as(escaped(key)).hasSize(2);
      assertThat(arguments.get(0)).as(escaped(key)).isEqualTo(bytes(StringBytesCodec.INSTANCE.encodeKey(key)))
          .isEqualTo(bytes(LETTUCE.encodeKey(key)));
      assertThat(arguments.get(1)).containsExactly(1, 2);
    }
  }

  @Test
  void aKeyIsSentToTheSlotItIsRoutedTo() {
    for (String key : allKeys()) {
      byte[] sent = bulkStrings(encoded(StringBytesCodec.INSTANCE, key, null, Unpooled.buffer())).get(0);

      assertThat(StringBytesCodec.slotOf(key)).as(escaped(key)).isEqualTo(SlotHash.getSlot(sent));
    }
    // the JDK encodes these bytes differently, and so would hash them to another slot
    assertThat(StringBytesCodec.slotOf("\uD800é")).isNotEqualTo(
        SlotHash.getSlot("\uD800é".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theDeclaredLengthsAreExactSoNoTemporaryBufferIsAllocated() {
    ByteBuf refusesTemporaries = new UnpooledHeapByteBuf(new AbstractByteBufAllocator() {
      @Override
      protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        throw new AssertionError("Lettuce asked for a temporary buffer: the codec's estimate is not exact");
      }

      @Override
      protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
      }

      @Override
      public boolean isDirectBufferPooled() {
        return false;
      }
    }, 64 * 1024, Integer.MAX_VALUE);

    assertThat(StringBytesCodec.INSTANCE.isEstimateExact()).isTrue();
    for (String key : allKeys()) {
      byte[] value = key.getBytes(StandardCharsets.UTF_8);
      refusesTemporaries.clear();
      assertThat(encoded(StringBytesCodec.INSTANCE, key, value, refusesTemporaries)).as(escaped(key))
          .isEqualTo(encoded(LETTUCE, key, value, Unpooled.buffer()));
    }
  }

  @Test
  void aDirectOutputBufferGetsTheSameBytesAsAHeapOne() {
    for (String key : allKeys()) {
      byte[] value = key.getBytes(StandardCharsets.UTF_8);
      ByteBuf direct = Unpooled.directBuffer();
      try {
        assertThat(encoded(StringBytesCodec.INSTANCE, key, value, direct)).as(escaped(key))
            .isEqualTo(encoded(StringBytesCodec.INSTANCE, key, value, Unpooled.buffer()));
      } finally {
        direct.release();
      }
    }
  }

  @Test
  void nullKeysAndValuesAreSentEmpty() {
    assertThat(bulkStrings(encoded(StringBytesCodec.INSTANCE, null, null, Unpooled.buffer())))
        .containsExactly(new byte[0], new byte[0]);
    assertThat(StringBytesCodec.INSTANCE.encodeKey((String) null).remaining()).isZero();
    assertThat(StringBytesCodec.INSTANCE.encodeValue((byte[]) null).remaining()).isZero();
  }

  @Test
  void decodingReadsFromWhereTheBufferStandsAndCopiesTheBytesOut() {
    byte[] utf8 = "..ключ".getBytes(StandardCharsets.UTF_8);
    ByteBuffer heap = ByteBuffer.wrap(utf8).position(2);
    ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length).put(utf8).flip().position(2);

    assertThat(StringBytesCodec.INSTANCE.decodeKey(heap.duplicate())).isEqualTo("ключ");
    assertThat(StringBytesCodec.INSTANCE.decodeKey(direct.duplicate())).isEqualTo("ключ");
    byte[] value = StringBytesCodec.INSTANCE.decodeValue(direct.duplicate());
    assertThat(value).isEqualTo("ключ".getBytes(StandardCharsets.UTF_8));
    assertThat(StringBytesCodec.INSTANCE.decodeValue(heap.duplicate())).isEqualTo(value).isNotSameAs(utf8);
    assertThat(StringBytesCodec.INSTANCE.decodeValue(ByteBuffer.allocate(0))).isEmpty();
    assertThat(StringBytesCodec.INSTANCE.decodeKey(null)).isEmpty();
  }

  @Test
  void malformedUtf8DecodesAsLettucesStringCodecDecodesIt() {
    byte[] malformed = {'a', (byte) 0xC3, 'b', (byte) 0xFF};

    assertThat(StringBytesCodec.INSTANCE.decodeKey(ByteBuffer.wrap(malformed)))
        .isEqualTo(StringCodec.UTF8.decodeKey(ByteBuffer.wrap(malformed))).contains("\uFFFD");
  }

  @Test
  void anythingButAStringOrBytesIsRefusedByName() {
    assertThatThrownBy(() -> StringBytesCodec.INSTANCE.estimateSize(42L))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Long");
  }

  @Test
  void aRealServerStoresAndReturnsWhatItWrote() {
    RedisURI uri = RedisURI.create(redis.uri());
    uri.setTimeout(Duration.ofSeconds(5)); // a framing error shows as a timeout: soon, not after a minute
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, byte[]> ours = client.connect(StringBytesCodec.INSTANCE);
        StatefulRedisConnection<String, byte[]> lettuces = client.connect(LETTUCE)) {
      RedisCommands<String, byte[]> commands = ours.sync();
      for (String key : KEYS) {
        commands.set(key, key.getBytes(StandardCharsets.UTF_8));
      }

      List<KeyValue<String, byte[]>> read = commands.mget(KEYS.toArray(String[]::new));
      assertThat(read).extracting(KeyValue::getKey).containsExactlyElementsOf(KEYS);
      assertThat(read).extracting(entry -> new String(entry.getValue(), StandardCharsets.UTF_8))
          .containsExactlyElementsOf(KEYS);
      assertThat(lettuces.sync().keys("*")).containsExactlyInAnyOrderElementsOf(KEYS);
    } finally {
      client.shutdown();
    }
  }

  /** A key as Java source would write it: a lone surrogate in a failure message would cut the report short. */
  private static String escaped(String key) {
    StringBuilder escaped = new StringBuilder();
    key.chars().limit(40).forEach(c -> escaped.append(
        c < 0x80 ? Character.toString(c) : String.format(Locale.ROOT, "\\u%04X", c)));
    return escaped.toString();
  }

  private static List<String> allKeys() {
    return Stream.concat(KEYS.stream(), MALFORMED_KEYS.stream()).toList();
  }

  private static byte[] encoded(RedisCodec<String, byte[]> codec, String key, byte[] value, ByteBuf target) {
    new CommandArgs<>(codec).addKey(key).addValue(value).encode(target);
    byte[] bytes = new byte[target.readableBytes()];
    target.readBytes(bytes);
    return bytes;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  /** Parses RESP bulk strings ({@code $<length>\r\n<bytes>\r\n}), failing on a header its bytes do not match. */
  private static List<byte[]> bulkStrings(byte[] encoded) {
    List<byte[]> strings = new ArrayList<>();
    int at = 0;
    while (at < encoded.length) {
      assertThat(encoded[at]).isEqualTo((byte) '$');
      int lineEnd = at;
      while (encoded[lineEnd] != '\r') {
        lineEnd++;
      }
      int length = Integer.parseInt(new String(encoded, at + 1, lineEnd - at - 1, StandardCharsets.US_ASCII));
      int start = lineEnd + 2;
      assertThat(start + length + 2).isLessThanOrEqualTo(encoded.length);
      assertThat(new String(encoded, start + length, 2, StandardCharsets.US_ASCII)).isEqualTo("\r\n");
      byte[] string = new byte[length];
      System.arraycopy(encoded, start, string, 0, length);
      strings.add(string);
      at = start + length + 2;
    }
    return strings;
  }
}
