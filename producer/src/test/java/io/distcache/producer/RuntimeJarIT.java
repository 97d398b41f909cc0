package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.fixture.CoreTopic;
import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.ProducerProcess;
import io.distcache.producer.fixture.Producers;
import io.distcache.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar that operators ship holds what {@code run} needs and nothing of the test world: no
 * Kafka broker, no Scala, no redis-server binaries, no testkit or test libraries, and at most 20 MB. And it
 * runs: {@code java -jar} projects records compressed with zstd, snappy and lz4 (whose natives the jar
 * keeps for this platform), serves {@code /metrics} and {@code /health/ready}, and stops with exit code 0.
 * Runs after {@code package} (failsafe), on the jar the build just made.
 */
class RuntimeJarIT {

  private static final long MAX_BYTES = 20_000_000;
  private static final List<String> FORBIDDEN = List.of("kafka/server/", "org/apache/kafka/raft/",
      "org/apache/kafka/controller/", "scala/", "io/distcache/testkit/",
      "org/junit/", "org/assertj/", "redis/clients/jedis/", "org/apache/logging/log4j/core/",
      "io/distcache/producer/demo/", "io/distcache/jcache/", "com/github/benmanes/caffeine/");

  @Test
  void theRuntimeJarIsLeanAndHoldsNoTestWorld() throws Exception {
    Path jar = Path.of(System.getProperty("runtime.jar"));
    long size = Files.size(jar);
    System.out.printf("runtime jar %s: %.1f MB%n", jar.getFileName(), size / 1024.0 / 1024.0);
    assertThat(size).as("bytes of %s", jar).isLessThanOrEqualTo(MAX_BYTES);
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = file.stream().map(ZipEntry::getName).toList();
      System.out.printf("runtime jar %s: %d entries%n", jar.getFileName(), names.size());
      assertThat(names).contains("io/distcache/producer/cli/Main.class", "io/distcache/producer/version.properties",
          "io/distcache/protocol/script/sink/apply.lua", "io/distcache/protocol/codec/KryoValueCodec.class",
          "io/distcache/protocol/script/changelog.lua");
      for (String forbidden : FORBIDDEN) {
        assertThat(names).as("entries under %s", forbidden).noneMatch(name -> name.startsWith(forbidden));
      }
      assertThat(names).as("redis-server binaries").noneMatch(name -> name.contains("redis-server"));
      assertThat(file.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.distcache.producer.cli.Main");
    }
  }

  @Test
  void theRuntimeJarProjectsCompressedTopicsServesItsEndpointsAndStopsCleanly(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("runtime.jar"));
    String topic = "jar.users";
    Infra.kafka().createCompactedTopic(topic, 3);
    Set<Long> ids = new HashSet<>();
    Map<Long, Map<String, Object>> expected = new HashMap<>();
    for (String compression : List.of("zstd", "snappy", "lz4", "gzip")) {
      try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic, compression)) {
        for (long id = 0; id < 200; id++) {
          ids.add(id);
          core.upsert(id);
        }
        core.flush();
        expected.putAll(core.state());
      }
    }
    int httpPort = FreePorts.find();
    Properties settings = Producers.properties(topic, "jar");
    settings.setProperty("http.port", Integer.toString(httpPort));
    settings.setProperty("http.bind-address", "127.0.0.1");
    ProducerProcess producer = new ProducerProcess(dir, settings).startJar(jar);
    try (Edge edge = new Edge(Infra.redis().uri(), "jar")) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> edge.matches(expected, ids));
      HttpClient http = HttpClient.newHttpClient();
      await().atMost(Duration.ofSeconds(30)).until(() -> get(http, httpPort, "/health/ready").statusCode() == 200);
      HttpResponse<String> metrics = get(http, httpPort, "/metrics");
      assertThat(metrics.body()).contains("distcache_producer_records_total", "jvm_memory_used_bytes",
          "process_uptime_seconds", "kafka_consumer_fetch_manager_records_consumed_total");
      assertThat(get(http, httpPort, "/health/live").body()).contains("\"version\":\"");
    } finally {
      assertThat(producer.terminate()).as(producer.log()).isZero();
    }
    assertThat(producer.log()).doesNotContain("NoClassDefFoundError", "ClassNotFoundException",
        "UnsatisfiedLinkError");
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
