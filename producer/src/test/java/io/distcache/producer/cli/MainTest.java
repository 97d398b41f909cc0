package io.distcache.producer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.producer.ops.ProducerVersion;
import io.distcache.testkit.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as operators use it: validate, version, and configuration errors as one line with exit code 2. */
class MainTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void validateAcceptsAGoodFileWithoutConnectingAnywhere(@TempDir Path dir) throws Exception {
    Path config = write(dir, "redis.uri = redis://app:hunter2@nowhere.invalid:6379\n");
    assertThat(run("validate", "--config", config.toString())).isZero();
    assertThat(out.toString()).contains("is valid").contains("projection").doesNotContain("hunter2");
  }

  @Test
  void aConfigurationErrorIsOneLineAndExitCodeTwo(@TempDir Path dir) throws Exception {
    Path config = write(dir, "redis.uri = redis://localhost:6379\nprojection[users].tombstone-tll = 1d\n");
    for (String command : new String[] {"validate", "run"}) {
      err.getBuffer().setLength(0);
      assertThat(run(command, "--config", config.toString())).as(command).isEqualTo(Main.CONFIGURATION_ERROR);
      assertThat(err.toString().strip()).as(command).doesNotContain("\n").doesNotContain("\tat ")
          .startsWith("distcache-producer: " + config + ": unknown key 'projection[users].tombstone-tll'");
    }
    Path unknownFormat = write(dir, "redis.uri = redis://localhost:6379\nprojection[users].format = avro\n");
    err.getBuffer().setLength(0);
    assertThat(run("validate", "--config", unknownFormat.toString())).isEqualTo(Main.CONFIGURATION_ERROR);
    assertThat(err.toString()).contains("projection[users].format = 'avro' is unknown");
  }

  @Test
  void aRedisThatMayEvictAnyKeyStopsRunWithExitCodeTwo(@TempDir Path dir) throws Exception {
    try (RedisServer evicting = RedisServer.builder().extraArgs("--maxmemory", "64mb", "--maxmemory-policy",
        "allkeys-lfu").start()) {
      Path config = write(dir, "redis.uri = " + evicting.uri() + "\nhttp.port = -1\n");
      assertThat(run("run", "--config", config.toString())).isEqualTo(Main.CONFIGURATION_ERROR);
      assertThat(err.toString().strip()).doesNotContain("\n").contains("maxmemory-policy allkeys-lfu");
    }
  }

  @Test
  void theVersionComesFromTheBuild() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString().strip()).isEqualTo("distcache-producer " + ProducerVersion.get());
    assertThat(ProducerVersion.get()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  private int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private static Path write(Path dir, String extra) throws Exception {
    Path config = Files.createTempFile(dir, "producer", ".properties");
    Files.writeString(config, "kafka.bootstrap.servers = localhost:1\nprojection[users].topic = core.users\n"
        + "projection[users].key-template = user:{id}\n" + extra);
    return config;
  }
}
