package io.distcache.protocol.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.protocol.script.sample.ScriptOwner;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The one script loader: includes resolve next to the owner first, then among the protocol's scripts (nested too),
 * the SHA is the one {@code EVALSHA} expects, and {@code changelog.lua} writes the records edges read, on a real
 * redis-server.
 */
class LuaScriptTest {

  @StartedRedis
  RedisServer redis;

  private static final RedisCodec<String, byte[]> BYTE_VALUES =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  @Test
  void includesResolveNextToTheOwnerThenAmongTheProtocolsScripts() {
    LuaScript script = LuaScript.load(ScriptOwner.class, "logs");

    assertThat(script.name()).isEqualTo("logs");
    assertThat(script.source()).doesNotContain("--#include")
        .contains("local function answer()", "local function log_change(", "local function log_switch(");
  }

  @Test
  void theShaIsTheSha1OfTheResolvedSource() throws Exception {
    LuaScript script = LuaScript.load(ScriptOwner.class, "logs");

    byte[] digest = MessageDigest.getInstance("SHA-1").digest(script.source().getBytes(StandardCharsets.UTF_8));
    assertThat(script.sha()).isEqualTo(HexFormat.of().formatHex(digest));
  }

  @Test
  void aMissingScriptOrIncludeIsNamed() {
    assertThatThrownBy(() -> LuaScript.load(ScriptOwner.class, "absent"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("absent.lua");
    assertThatThrownBy(() -> LuaScript.load(ScriptOwner.class, "broken"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("nowhere.lua");
  }

  @Test
  void anIncludeCycleFailsWithAMessageNotAStackOverflow() {
    assertThatThrownBy(() -> LuaScript.load(ScriptOwner.class, "cycle"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("include cycle");
  }

  @Test
  void noscriptIsRecognisedThroughTheWrappersOfAFuture() {
    RedisNoScriptException noScript = new RedisNoScriptException("NOSCRIPT No matching script.");

    assertThat(LuaScript.isMissing(noScript)).isTrue();
    assertThat(LuaScript.isMissing(new CompletionException(noScript))).isTrue();
    assertThat(LuaScript.isMissing(new ExecutionException(new CompletionException(noScript)))).isTrue();
    assertThat(LuaScript.isMissing(new IllegalStateException("NOSCRIPT"))).isFalse();
    assertThat(LuaScript.isMissing(new CompletionException(null))).isFalse();
  }

  @Test
  void runFallsBackToTheSourceOnceWhenTheServerLacksTheScript() {
    LuaScript append = LuaScript.load(ScriptOwner.class, "append");
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, byte[]> connection = client.connect(BYTE_VALUES)) {
      RedisAsyncCommands<String, byte[]> commands = connection.async();
      List<CompletableFuture<Long>> runs = new ArrayList<>();
      // All five EVALSHAs reach Redis before any refusal comes back, so none finds the script cached early.
      // Auto-flush is back on before they go out: a fallback EVAL sent from a refusal's callback must leave at
      // once, in the order the refusals came, not wait in the buffer behind later ones.
      connection.setAutoFlushCommands(false);
      for (int i = 1; i <= 5; i++) {
        runs.add(append.run(commands, ScriptOutputType.INTEGER, new String[] {"list"}, bytes("v" + i)));
      }
      connection.setAutoFlushCommands(true);
      connection.flushCommands();

      assertThat(runs).extracting(CompletableFuture::join).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(redis.command("LRANGE", "list", "0", "-1")).isEqualTo("v1\nv2\nv3\nv4\nv5");
      assertThat(redis.commandCalls()).as("every EVALSHA refused, each run sent its source once")
          .containsEntry("evalsha", 5L).containsEntry("eval", 5L);
      append.<Long>run(commands, ScriptOutputType.INTEGER, new String[] {"list"}, bytes("v6")).join();
      assertThat(redis.commandCalls()).as("cached by the EVALs").containsEntry("evalsha", 6L)
          .containsEntry("eval", 5L);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aRunCancelledBeforeItWasSentNeverGoesOut() {
    LuaScript append = LuaScript.load(ScriptOwner.class, "append");
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, byte[]> connection = client.connect(BYTE_VALUES)) {
      RedisAsyncCommands<String, byte[]> commands = connection.async();
      redis.command("SCRIPT", "LOAD", append.source());
      connection.setAutoFlushCommands(false);
      CompletableFuture<Long> run = append.run(commands, ScriptOutputType.INTEGER, new String[] {"list"}, bytes("v"));

      run.cancel(false);
      connection.flushCommands();
      connection.setAutoFlushCommands(true);

      commands.ping().toCompletableFuture().join();
      assertThat(redis.command("EXISTS", "list")).isEqualTo("0");
      assertThat(redis.commandCalls()).doesNotContainKey("evalsha");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aRunCancelledBeforeItsRefusalCameBackNeverSendsItsSource() {
    LuaScript append = LuaScript.load(ScriptOwner.class, "append");
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, byte[]> connection = client.connect(BYTE_VALUES)) {
      RedisAsyncCommands<String, byte[]> commands = connection.async();
      commands.ping().toCompletableFuture().join();
      // Redis holds every client's commands meanwhile: the EVALSHA is sent, its refusal cannot come back yet.
      redis.command("CLIENT", "PAUSE", "300", "ALL");
      CompletableFuture<Long> run = append.run(commands, ScriptOutputType.INTEGER, new String[] {"list"}, bytes("v"));

      run.cancel(false);

      // The first answer comes after the refused command's; what its callback sent goes out before the second.
      commands.ping().toCompletableFuture().join();
      commands.ping().toCompletableFuture().join();
      assertThat(redis.command("EXISTS", "list")).isEqualTo("0");
      assertThat(redis.commandCalls()).doesNotContainKey("eval");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void runPassesOnAnyOtherRefusalWithoutSendingTheSource() {
    LuaScript refuses = LuaScript.load(ScriptOwner.class, "refuses");
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, byte[]> connection = client.connect(BYTE_VALUES)) {
      RedisAsyncCommands<String, byte[]> commands = connection.async();
      redis.command("SCRIPT", "LOAD", refuses.source());

      CompletableFuture<Object> run = refuses.run(commands, ScriptOutputType.STATUS, new String[0]);

      assertThatThrownBy(run::join).hasRootCauseInstanceOf(RedisCommandExecutionException.class)
          .rootCause().hasMessageContaining("refused on purpose");
      assertThat(redis.commandCalls()).doesNotContainKey("eval");
    } finally {
      client.shutdown();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theChangeLogRecordsAreWhatEdgesRead() {
    LuaScript script = LuaScript.load(ScriptOwner.class, "logs");
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> commands = connection.sync();
      String answer = commands.eval(script.source(), ScriptOutputType.VALUE, new String[] {"dc:log"},
          "100", "\"user-7\"", "42", "gen-2", "s2");
      assertThat(answer).isEqualTo("helpers");
      assertThat(commands.<String>evalsha(script.sha(), ScriptOutputType.VALUE, new String[] {"dc:other"},
          "100", "k", "1", "g", "s")).as("EVAL cached the script under sha()").isEqualTo("helpers");

      List<Map<String, String>> records = commands.xrange("dc:log", Range.create("-", "+")).stream()
          .map(StreamMessage::getBody).toList();
      assertThat(records).containsExactly(Map.of("k", "\"user-7\"", "v", "42"),
          Map.of("k", "*", "v", "0", "g", "gen-2", "s", "s2"));
    } finally {
      client.shutdown();
    }
  }
}
