package io.distcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RedisServerTest {

  static Iterable<RedisBinary> binaries() {
    return TestBinaries.all();
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void startsOnFreshDirectoryAndStopsCleanly(RedisBinary binary) {
    RedisServer server = RedisServer.builder().binary(binary).start();
    long pid = server.pid();

    assertThat(server.host()).isEqualTo("127.0.0.1");
    assertThat(server.port()).isNotEqualTo(6379);
    assertThat(server.uri()).isEqualTo("redis://127.0.0.1:" + server.port());
    assertThat(server.command("PING")).isEqualTo("PONG");
    assertThat(server.command("INFO", "server")).contains("redis_version:" + binary.version());
    assertThat(server.command("CONFIG", "GET", "save")).isEqualTo("save\n");
    assertThat(server.directory()).isDirectory();

    server.stop();
    server.stop();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
    assertThat(server.isAlive()).isFalse();
    assertThat(Files.exists(server.directory())).isFalse();
    assertThatThrownBy(() -> server.command("PING")).isInstanceOf(UncheckedIOException.class);
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void rendersRepliesAsText(RedisBinary binary) {
    try (RedisServer server = RedisServer.builder().binary(binary).start()) {
      assertThat(server.command("SET", "greeting", "héllo wörld")).isEqualTo("OK");
      assertThat(server.command("GET", "greeting")).isEqualTo("héllo wörld");
      assertThat(server.command("INCR", "counter")).isEqualTo("1");
      assertThat(server.command("MGET", "greeting", "missing", "counter")).isEqualTo("héllo wörld\n\n1");
      assertThat(server.command("GET", "missing")).isNull();
      assertThatThrownBy(() -> server.command("INCR", "greeting"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not an integer");
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void replicaReceivesWritesAndRefusesOwnWrites(RedisBinary binary) {
    try (RedisServer master = RedisServer.builder().binary(binary).start();
       RedisServer replica = master.startReplica()) {
      assertThat(replica.serverBinary()).isEqualTo(binary);
      assertThat(replica.command("INFO", "replication"))
          .contains("role:slave", "master_port:" + master.port(), "master_link_status:up");

      master.command("SET", "k", "v1");
      replica.awaitSync();

      assertThat(replica.command("GET", "k")).isEqualTo("v1");
      assertThatThrownBy(() -> replica.command("SET", "k", "v2"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("READONLY");
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void killedServerRestartsEmptyOnTheSamePort(RedisBinary binary) {
    try (RedisServer server = RedisServer.builder().binary(binary).start()) {
      int port = server.port();
      long firstPid = server.pid();
      server.command("SET", "k", "v");

      server.kill();

      assertThat(server.isAlive()).isFalse();
      assertThat(server.directory()).isDirectory();
      assertThatThrownBy(() -> server.command("PING")).isInstanceOf(UncheckedIOException.class);

      server.restart();

      assertThat(server.port()).isEqualTo(port);
      assertThat(server.pid()).isNotEqualTo(firstPid);
      assertThat(server.command("GET", "k")).isNull();
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void killedMasterRestartsEmptyAndItsReplicaFollows(RedisBinary binary) {
    try (RedisServer master = RedisServer.builder().binary(binary).start();
       RedisServer replica = master.startReplica()) {
      master.command("SET", "before", "kill");
      replica.awaitSync();

      master.kill();
      master.restart();
      master.command("SET", "after", "restart");

      replica.awaitSync();

      assertThat(master.command("GET", "before")).isNull();
      assertThat(replica.command("GET", "before")).isNull();
      assertThat(replica.command("GET", "after")).isEqualTo("restart");
      assertThat(master.directory().resolve("dump.rdb")).doesNotExist();
      assertThat(replica.directory().resolve("dump.rdb")).doesNotExist();
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void stoppedServerRestartsOnAFreshDirectory(RedisBinary binary) {
    try (RedisServer server = RedisServer.builder().binary(binary).start()) {
      server.stop();
      server.restart();

      assertThat(server.directory()).isDirectory();
      assertThat(server.command("PING")).isEqualTo("PONG");
      assertThatThrownBy(server::awaitMasterLink).isInstanceOf(IllegalStateException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void pausedServerTimesOutUntilResumed(RedisBinary binary) {
    try (RedisServer server = RedisServer.builder().binary(binary).start()) {
      server.pause();

      assertThatThrownBy(() -> server.command(Duration.ofMillis(300), "PING"))
          .isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(SocketTimeoutException.class);

      server.resume();

      assertThat(server.command("PING")).isEqualTo("PONG");
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void stopEndsAPausedServer(RedisBinary binary) {
    RedisServer server = RedisServer.builder().binary(binary).start();
    server.pause();

    server.stop();

    assertThat(server.isAlive()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void countsCommandCalls(RedisBinary binary) {
    try (RedisServer server = RedisServer.builder().binary(binary).start()) {
      server.command("SET", "k", "v");
      server.resetStats();

      server.command("GET", "k");
      server.command("GET", "k");
      server.command("MGET", "k", "other");

      assertThat(server.commandCalls())
          .containsEntry("get", 2L)
          .containsEntry("mget", 1L)
          .doesNotContainKey("set");
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void countsTheMicrosecondsSpentInEachCommand(RedisBinary binary) {
    try (RedisServer server = RedisServer.builder().binary(binary).start()) {
      String busyLoop = "local i = 0 while i < 2000000 do i = i + 1 end return i";
      server.command("SET", "k", "v");
      server.resetStats();

      long start = System.nanoTime();
      server.command("EVAL", busyLoop, "0");
      long evalMicros = (System.nanoTime() - start) / 1000;
      server.command("GET", "k");

      Map<String, Long> micros = server.commandMicros();
      assertThat(micros).containsKeys("eval", "get").doesNotContainKey("set");
      assertThat(micros.get("eval")).isPositive().isLessThanOrEqualTo(evalMicros).isGreaterThan(micros.get("get"));
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void answersTellsWhetherCallsReachedTheServer(RedisBinary binary) {
    try (RedisServer server = RedisServer.builder().binary(binary).start();
        RedisServer other = RedisServer.builder().binary(binary).start()) {
      assertThat(server.answers("get", 3, () -> IntStream.range(0, 3).forEach(i -> server.command("GET", "k"))))
          .isTrue();
      assertThat(server.answers("get", 3, () -> IntStream.range(0, 3).forEach(i -> other.command("GET", "k"))))
          .isFalse();
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void authenticatesWithRequirepassAndReplicaInheritsIt(RedisBinary binary) {
    try (RedisServer master = RedisServer.builder().binary(binary).extraArgs("--requirepass", "s3cret").start();
       RedisServer replica = master.startReplica()) {
      master.command("SET", "k", "v");
      replica.awaitSync();

      assertThat(replica.command("GET", "k")).isEqualTo("v");
      assertThat(replica.command("CONFIG", "GET", "requirepass")).isEqualTo("requirepass\ns3cret");
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void authenticatesAsAclUser(RedisBinary binary) {
    try (RedisServer server = RedisServer.builder().binary(binary)
        .extraArgs("--user", "app", "on", ">pw", "~*", "&*", "+@all", "--user", "default", "off")
        .auth("app", "pw")
        .start()) {
      assertThat(server.command("ACL", "WHOAMI")).isEqualTo("app");
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void reportsTheLogWhenTheServerCannotStart(RedisBinary binary) {
    assertThatThrownBy(() -> RedisServer.builder().binary(binary).extraArgs("--no-such-directive", "1").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining("no-such-directive");
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void tlsDetectionMatchesWhetherTheServerAcceptsATlsPort(RedisBinary binary) {
    if (binary.supportsTls()) {
      try (RedisServer server = RedisServer.builder().binary(binary).extraArgs("--tls-port", "0").start()) {
        assertThat(server.command("CONFIG", "GET", "tls-port")).isEqualTo("tls-port\n0");
      }
    } else {
      assertThatThrownBy(() -> RedisServer.builder().binary(binary).extraArgs("--tls-port", "0").start())
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void startsOnARequestedPort(RedisBinary binary) {
    int port = FreePorts.find();
    try (RedisServer server = RedisServer.builder().binary(binary).port(port).start()) {
      assertThat(server.port()).isEqualTo(port);
      assertThatThrownBy(() -> RedisServer.builder().binary(binary).port(port).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Address already in use");
    }
    assertThatThrownBy(() -> RedisServer.builder().port(6379)).isInstanceOf(IllegalArgumentException.class);
  }
}
