package io.distcache.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wire codec sends the bytes Lettuce's composed {@code StringCodec}/{@code ByteArrayCodec} sends, with a length
 * header that matches what follows for every key, and a real redis-server reads back what it wrote.
 */
class StringBytesCodecTest {

  private static final RedisCodec<String, byte[]> LETTUCE = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /** ASCII, empty, two- to four-byte UTF-8 forms. */
  private static final List<String> KEYS = List.of("dc:{rows}:e:customer:123456", "", "ключ", "日本語のキー",
      "emoji 😀 key", "x".repeat(5000));

  @StartedRedis
  RedisServer redis;

  @Test
  void keysAndValuesAreFramedExactlyAsLettucesOwnCodecFramesThem() {
    for (String key : KEYS) {
      byte[] value = (key + "=value").getBytes(StandardCharsets.UTF_8);

      assertThat(encoded(StringBytesCodec.INSTANCE, key, value)).as(key).isEqualTo(encoded(LETTUCE, key, value));
    }
  }

  @Test
  void anUnpairedSurrogateStillGetsALengthHeaderThatMatchesItsBytes() {
    for (String key : List.of("\uD800", "a\uDC00b", "end\uD83D")) {
      List<byte[]> arguments = bulkStrings(encoded(StringBytesCodec.INSTANCE, key, new byte[] {1, 2}));

      assertThat(arguments).hasSize(2);
      assertThat(new String(arguments.get(0), StandardCharsets.UTF_8)).isEqualTo(
          new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
  }

  @Test
  void nullKeysAndValuesAreSentEmpty() {
    assertThat(bulkStrings(encoded(StringBytesCodec.INSTANCE, null, null)))
        .containsExactly(new byte[0], new byte[0]);
  }

  @Test
  void decodingCopiesTheBytesOut() {
    ByteBuffer bytes = ByteBuffer.wrap("ключ".getBytes(StandardCharsets.UTF_8));
    byte[] value = StringBytesCodec.INSTANCE.decodeValue(bytes.duplicate());

    assertThat(StringBytesCodec.INSTANCE.decodeKey(bytes.duplicate())).isEqualTo("ключ");
    assertThat(value).isEqualTo(bytes.array()).isNotSameAs(bytes.array());
    assertThat(StringBytesCodec.INSTANCE.decodeValue(ByteBuffer.allocate(0))).isEmpty();
  }

  @Test
  void anythingButAStringOrBytesIsRefusedByName() {
    assertThatThrownBy(() -> StringBytesCodec.INSTANCE.estimateSize(42L))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Long");
  }

  @Test
  void aRealServerStoresAndReturnsWhatItWrote() {
    RedisClient client = RedisClient.create(redis.uri());
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

  private static byte[] encoded(RedisCodec<String, byte[]> codec, String key, byte[] value) {
    ByteBuf buffer = Unpooled.buffer();
    new CommandArgs<>(codec).addKey(key).addValue(value).encode(buffer);
    byte[] bytes = new byte[buffer.readableBytes()];
    buffer.readBytes(bytes);
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
