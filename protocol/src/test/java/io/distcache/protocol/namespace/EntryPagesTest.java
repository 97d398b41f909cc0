package io.distcache.protocol.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Paged removal of a key space's entries on a real redis-server: its entries go, nothing else does. */
class EntryPagesTest {

  @StartedRedis
  RedisServer redis;

  @Test
  void pagesUnlinkEveryEntryOfTheSpaceAndNothingElse() {
    Namespace namespace = Namespace.of("dc", "users");
    Namespace retired = namespace.inSpace("g1");
    for (int i = 0; i < 250; i++) {
      redis.command("SET", retired.entryKey("k" + i), "old");
      redis.command("SET", namespace.entryKey("k" + i), "current");
    }
    redis.command("SET", retired.metaKey(), "meta");
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, byte[]> connection =
        client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
      ScanCursor cursor = ScanCursor.INITIAL;
      int pages = 0;
      do {
        KeyScanCursor<String> page = EntryPages.unlinkPage(connection.async(), retired, cursor, 50).join();
        assertThat(page.getKeys()).allMatch(key -> key.startsWith(retired.entryPrefix()));
        cursor = page;
        pages++;
      } while (!cursor.isFinished());

      assertThat(pages).as("pages of at most about 50 keys looked at").isGreaterThan(1);
      assertThat(redis.command("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", retired.entryPattern()))
          .isEqualTo("0");
      assertThat(redis.command("DBSIZE")).as("the current space's 250 entries and the meta key").isEqualTo("251");
      assertThat(redis.commandCalls()).containsKey("unlink");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aPageCancelledBeforeItWasSentNeverGoesOut() {
    Namespace namespace = Namespace.of("dc", "users");
    redis.command("SET", namespace.entryKey("k"), "v");
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, byte[]> connection =
        client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
      connection.setAutoFlushCommands(false);
      CompletableFuture<KeyScanCursor<String>> page =
          EntryPages.unlinkPage(connection.async(), namespace, ScanCursor.INITIAL, 50);

      page.cancel(false);
      connection.flushCommands();
      connection.setAutoFlushCommands(true);

      connection.async().ping().toCompletableFuture().join();
      assertThat(redis.command("EXISTS", namespace.entryKey("k"))).isEqualTo("1");
      assertThat(redis.commandCalls()).doesNotContainKey("scan");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aPageCancelledBeforeItsScanCameBackUnlinksNothing() {
    Namespace namespace = Namespace.of("dc", "users");
    redis.command("SET", namespace.entryKey("k"), "v");
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, byte[]> connection =
        client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
      connection.async().ping().toCompletableFuture().join();
      // Redis holds every client's commands meanwhile: the SCAN is sent, its page cannot come back yet.
      redis.command("CLIENT", "PAUSE", "300", "ALL");
      CompletableFuture<KeyScanCursor<String>> page =
          EntryPages.unlinkPage(connection.async(), namespace, ScanCursor.INITIAL, 50);

      page.cancel(false);

      // The first answer comes after the refused command's; what its callback sent goes out before the second.
      connection.async().ping().toCompletableFuture().join();
      connection.async().ping().toCompletableFuture().join();
      assertThat(redis.command("EXISTS", namespace.entryKey("k"))).as("a key the caller gave up on").isEqualTo("1");
      assertThat(redis.commandCalls()).doesNotContainKey("unlink");
    } finally {
      client.shutdown();
    }
  }
}
