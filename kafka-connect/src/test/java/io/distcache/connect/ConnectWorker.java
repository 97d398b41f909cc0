package io.distcache.connect;

import io.distcache.testkit.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A distributed Kafka Connect worker ({@code org.apache.kafka.connect.cli.ConnectDistributed} from
 * connect-runtime) as a child JVM, so it can be killed with {@code kill -9}; its REST API on a free port. Its class
 * path is this test's without distcache's own classes: the connector comes from the plugin directory, as operators
 * install it.
 */
final class ConnectWorker {

  /** Jars of distcache and of the libraries only it uses, left off the workers' class path. */
  private static final List<String> PLUGIN_ONLY = List.of("distcache-", "lettuce-core", "kryo", "minlog", "reflectasm",
      "objenesis", "cache-api", "caffeine", "micrometer-", "picocli", "netty-", "reactor-core", "HdrHistogram",
      "LatencyUtils", "prometheus-metrics", "awaitility", "assertj", "junit-", "opentest4j", "apiguardian");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String LOGGING = """
      <configuration>
        <appender name="FILE" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
        </appender>
        <logger name="org.apache.kafka" level="WARN"/>
        <logger name="org.apache.kafka.connect.runtime.distributed" level="INFO"/>
        <logger name="org.eclipse.jetty" level="WARN"/>
        <logger name="org.glassfish" level="WARN"/>
        <logger name="io.lettuce" level="WARN"/>
        <logger name="io.netty" level="WARN"/>
        <root level="INFO"><appender-ref ref="FILE"/></root>
      </configuration>
      """;

  private final Path config;
  private final Path log;
  private final Path logging;
  private final int port;
  private Process process;

  /**
   * @param cluster the Connect cluster's name: its group id and the prefix of its internal topics
   */
  ConnectWorker(Path dir, String bootstrapServers, String cluster, Path pluginPath) {
    this.port = FreePorts.find();
    this.logging = dir.resolve("logback.xml");
    this.config = dir.resolve("worker-" + port + ".properties");
    this.log = dir.resolve("worker-" + port + ".log");
    Properties props = new Properties();
    props.setProperty("bootstrap.servers", bootstrapServers);
    props.setProperty("group.id", cluster);
    props.setProperty("config.storage.topic", cluster + "-configs");
    props.setProperty("offset.storage.topic", cluster + "-offsets");
    props.setProperty("status.storage.topic", cluster + "-status");
    props.setProperty("config.storage.replication.factor", "1");
    props.setProperty("offset.storage.replication.factor", "1");
    props.setProperty("status.storage.replication.factor", "1");
    props.setProperty("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.setProperty("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.setProperty("listeners", "http://127.0.0.1:" + port);
    props.setProperty("rest.advertised.host.name", "127.0.0.1");
    props.setProperty("rest.advertised.port", Integer.toString(port));
    props.setProperty("offset.flush.interval.ms", "1000");
    props.setProperty("plugin.path", pluginPath.toString());
    // the connectors come from the plugins' service files, without scanning every jar
    props.setProperty("plugin.discovery", "service_load");
    // a worker that died hands its tasks on after 2 s, not after Connect's default 5 minutes
    props.setProperty("scheduled.rebalance.max.delay.ms", "2000");
    props.setProperty("session.timeout.ms", "6000");
    props.setProperty("heartbeat.interval.ms", "1000");
    props.setProperty("consumer.session.timeout.ms", "6000");
    props.setProperty("consumer.heartbeat.interval.ms", "1000");
    try (OutputStream out = Files.newOutputStream(config)) {
      props.store(out, "test worker");
      Files.writeString(logging, LOGGING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Unzips the connector's plugin zip into {@code pluginPath}, as a worker's plugin.path holds it. */
  static Path installPlugin(Path zip, Path pluginPath) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        Path target = pluginPath.resolve(entry.getName()).normalize();
        if (!target.startsWith(pluginPath)) {
          throw new IOException("zip entry outside the plugin directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    }
    return pluginPath;
  }

  /**
   * This JVM's class path without distcache's modules (class directories, distcache-* jars) and without the
   * libraries only distcache uses: the plugin must bring those itself.
   */
  private static String workerClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Files.isDirectory(Path.of(entry)))
        .filter(entry -> PLUGIN_ONLY.stream().noneMatch(Path.of(entry).getFileName().toString()::startsWith))
        .collect(Collectors.joining(File.pathSeparator));
  }

  ConnectWorker start() {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-Dlogback.configurationFile=" + logging, "-cp", workerClassPath(),
        "org.apache.kafka.connect.cli.ConnectDistributed", config.toString());
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** SIGKILL. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
    }
  }

  /** The worker's id in Connect's status reports. */
  String id() {
    return "127.0.0.1:" + port;
  }

  /** Whether the REST API answers. */
  boolean up() {
    try {
      return get("/").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  HttpResponse<String> get(String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  HttpResponse<String> post(String path, String json) throws IOException {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The worker's log so far. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }
}
