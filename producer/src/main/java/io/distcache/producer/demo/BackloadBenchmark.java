package io.distcache.producer.demo;

import io.distcache.producer.CacheProducer;
import io.distcache.producer.ProjectionRunner;
import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.testkit.KafkaBroker;
import io.distcache.testkit.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer's backload benchmark (not a test): N JSON rows of about 200 bytes published to a
 * compacted topic of a real Kafka broker, projected into a fresh redis-server from offset 0, timed
 * until the projection is live; then, in the same command and against the same server,
 * {@code redis-benchmark -c 1 -d 200 -P 1000 -t set} as the single-connection pipelined write limit.
 * Prints a Markdown table. Run it with {@code benchmarks/run-producer [records]}.
 */
public final class BackloadBenchmark {

  private static final String TOPIC = "bench.users";
  private static final int PARTITIONS = 4;
  private static final Pattern SET_RATE = Pattern.compile("SET: ([0-9.]+) requests per second");

  private BackloadBenchmark() {
  }

  /** Args: [records, default 1,000,000] [output Markdown file, default: stdout only]. */
  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 1_000_000;
    try (RedisServer redis = RedisServer.start(); KafkaBroker kafka = KafkaBroker.start()) {
      kafka.createCompactedTopic(TOPIC, PARTITIONS);
      long publishStart = System.nanoTime();
      publish(kafka, records);
      double publishSeconds = seconds(publishStart);
      System.out.printf("published %,d rows of ~200 bytes in %.1f s%n", records, publishSeconds);

      long start = System.nanoTime();
      try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(settings(kafka, redis), "benchmark"))) {
        ProjectionRunner runner = producer.runners().get(0);
        while (runner.status().phase() != Phase.LIVE) {
          Thread.sleep(20);
        }
      }
      double backloadSeconds = seconds(start);
      double producerRate = records / backloadSeconds;
      String dbsize = redis.command("DBSIZE");
      double setRate = redisBenchmark(redis, records);
      String table = table(records, backloadSeconds, producerRate, dbsize, setRate);
      System.out.println(table);
      if (args.length > 1) {
        Files.writeString(Path.of(args[1]), table);
      }
    }
  }

  private static void publish(KafkaBroker kafka, int records) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    try (KafkaProducer<byte[], byte[]> core =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int id = 0; id < records; id++) {
        core.send(new ProducerRecord<>(TOPIC, ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
            row(id).getBytes(StandardCharsets.UTF_8)));
      }
      core.flush();
    }
  }

  /** A user row of about 200 bytes, as a core service would publish it. */
  private static String row(int id) {
    String row = "{\"id\":" + id + ",\"name\":\"User " + id + "\",\"email\":\"user" + id + "@example.com\","
        + "\"tier\":\"" + (id % 3 == 0 ? "gold" : "silver") + "\",\"city\":\"Springfield\",\"bio\":\"";
    StringBuilder padded = new StringBuilder(row);
    while (padded.length() < 198) {
      padded.append('x');
    }
    return padded.append("\"}").toString();
  }

  private static Properties settings(KafkaBroker kafka, RedisServer redis) {
    Properties settings = new Properties();
    settings.setProperty("kafka.bootstrap.servers", kafka.bootstrapServers());
    settings.setProperty("redis.uri", redis.uri());
    settings.setProperty("http.port", "0");
    settings.setProperty("projection[users].topic", TOPIC);
    settings.setProperty("projection[users].namespace", "users");
    settings.setProperty("projection[users].format", "json");
    settings.setProperty("projection[users].key-template", "user:{id}");
    return settings;
  }

  /** {@code redis-benchmark -c 1 -d 200 -P 1000 -t set}: SET requests/s, or NaN without the binary. */
  private static double redisBenchmark(RedisServer redis, int requests) throws IOException, InterruptedException {
    Path binary = redis.serverBinary().path().resolveSibling("redis-benchmark");
    String command = Files.isExecutable(binary) ? binary.toString() : "redis-benchmark";
    Process process;
    try {
      process = new ProcessBuilder(List.of(command, "-h", redis.host(), "-p", Integer.toString(redis.port()),
          "-c", "1", "-d", "200", "-P", "1000", "-t", "set", "-n", Integer.toString(requests), "-q"))
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      System.out.println("redis-benchmark not found (install redis-tools): " + e.getMessage());
      return Double.NaN;
    }
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    process.waitFor();
    Matcher matcher = SET_RATE.matcher(output.replace('\r', '\n'));
    double rate = Double.NaN;
    while (matcher.find()) {
      rate = Double.parseDouble(matcher.group(1));
    }
    return rate;
  }

  private static String table(int records, double backloadSeconds, double producerRate, String dbsize,
      double setRate) {
    String ratio = Double.isNaN(setRate) ? "n/a" : String.format("%.0f %%", 100 * producerRate / setRate);
    return String.format("""
        ## Producer backload (%s, %d cores, redis %s)

        | row | records | time | records/s | of the SET limit |
        |---|---:|---:|---:|---:|
        | `redis-benchmark -c 1 -d 200 -P 1000 -t set` (baseline: one connection, pipelined) | %,d | | %s | 100 %% |
        | distcache producer backload, %d partitions, JSON rows ~200 bytes, key template `user:{id}` | %,d | %.1f s | %,.0f | %s |

        Redis held %s keys afterwards (entries + meta + change log + heartbeat).
        """, LocalDate.now(), Runtime.getRuntime().availableProcessors(), RedisServer.binary().version(),
        records, Double.isNaN(setRate) ? "n/a" : String.format("%,.0f", setRate), PARTITIONS, records,
        backloadSeconds, producerRate, ratio, dbsize);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
