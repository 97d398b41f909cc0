package io.distcache.producer;

import io.distcache.protocol.sabotage.Sabotage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/** The producer as a separate JVM ({@code Main run --config <file>}), as operators run it. */
final class ProducerProcess {

  private final Path config;
  private final Path log;
  private Process process;

  ProducerProcess(Path dir, Properties settings) {
    this.config = dir.resolve("producer.properties");
    this.log = dir.resolve("producer.log");
    try (OutputStream out = Files.newOutputStream(config)) {
      settings.store(out, "test producer");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ProducerProcess start() {
    return start("-cp", System.getProperty("java.class.path"), "io.distcache.producer.cli.Main");
  }

  /** Runs the executable jar, as shipped, instead of the test class path. */
  ProducerProcess startJar(Path jar) {
    return start("-jar", jar.toString());
  }

  private ProducerProcess start(String... launch) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m"));
    activeSabotage().ifPresent(command::add);
    command.addAll(List.of(launch));
    command.addAll(List.of("run", "--config", config.toString()));
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The negative-control switches on in this JVM, passed on so the producer runs with its mechanism broken too. */
  private static Optional<String> activeSabotage() {
    String active = Arrays.stream(Sabotage.values()).filter(Sabotage::isActive).map(Sabotage::name)
        .collect(Collectors.joining(","));
    return active.isEmpty() ? Optional.empty() : Optional.of("-D" + Sabotage.PROPERTY + "=" + active);
  }

  /** SIGKILL: no hook, no flush, no goodbye. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, then the exit status. */
  int terminate() throws InterruptedException {
    process.destroy();
    return process.waitFor();
  }

  /** SIGSTOP: the JVM stands still, heartbeats and batches included, until {@link #resume}. */
  void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    if (status != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " exited with " + status);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The log so far; a line still being written may end in a replaced character. */
  String log() throws IOException {
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
  }
}
