package io.distcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisBinaryTest {

  /** Answers --version like redis-server and rejects TLS options like a build without TLS. */
  private static final String FAKE_SERVER = """
      #!/bin/sh
      case "$*" in
        *--version*) echo "Redis server v=9.9.9 sha=00000000:0 malloc=libc bits=64 build=0" ;;
        *--tls-port*) echo "*** FATAL CONFIG FILE ERROR ***"; echo "Bad directive or wrong number of arguments"; exit 1 ;;
      esac
      """;

  @TempDir
  Path temp;

  @Test
  void prefersAnExecutableOnPath() throws IOException {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path fake = fakeServer(bin);

    RedisBinary found = RedisBinary.locate(null, temp.resolve("empty") + File.pathSeparator + bin);

    assertThat(found.path()).isEqualTo(fake);
    assertThat(found.version()).isEqualTo("9.9.9");
    assertThat(found.fromPath()).isTrue();
    assertThat(found.supportsTls()).isFalse();
  }

  @Test
  void overrideWinsOverPath() throws IOException {
    Path fake = fakeServer(Files.createDirectories(temp.resolve("bin")));
    Path other = fakeServer(Files.createDirectories(temp.resolve("other")));

    RedisBinary found = RedisBinary.locate(other.toString(), fake.getParent().toString());

    assertThat(found.path()).isEqualTo(other);
    assertThat(found.fromPath()).isFalse();
  }

  @Test
  void overrideMustBeExecutable() {
    assertThatThrownBy(() -> RedisBinary.locate(temp.resolve("missing").toString(), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(RedisBinary.PROPERTY);
  }

  @Test
  void fallsBackToTheEmbeddedBinaryWithoutRedisOnPath() {
    RedisBinary found = RedisBinary.locate(null, temp.toString());

    assertThat(found).isEqualTo(RedisBinary.embedded());
    assertThat(found.fromPath()).isFalse();
    assertThat(found.path()).isExecutable();
    assertThat(found.version()).startsWith("6.2.");
  }

  @Test
  void detectedBinaryHonoursTheEnvironment() {
    RedisBinary detected = RedisBinary.detect();
    String override = System.getProperty(RedisBinary.PROPERTY, System.getenv(RedisBinary.ENV));

    if (override != null) {
      assertThat(detected.path()).isEqualTo(Path.of(override).toAbsolutePath().normalize());
    } else {
      assertThat(detected).isEqualTo(RedisBinary.locate(null, System.getenv("PATH")));
    }
    assertThat(RedisServer.binary()).isSameAs(detected);
  }

  private static Path fakeServer(Path dir) throws IOException {
    Path file = dir.resolve("redis-server");
    Files.writeString(file, FAKE_SERVER);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
