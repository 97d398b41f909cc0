package io.distcache.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.testkit.KafkaBroker;
import io.distcache.testkit.RedisServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector, installed from its plugin zip, on two distributed Connect workers (connect-runtime, child JVMs)
 * against a real broker and redis-server, on a topic of 8 partitions with {@code tasks.max = 2}: a task restarted through the REST API and a
 * worker killed with {@code kill -9} and started again; the namespace ends as the compacted state, key by key, an
 * edge reading through javax.cache follows the live changes, a bad record lands in Connect's dead-letter queue,
 * and Connect's committed offsets never run ahead of the offsets stored in Redis.
 */
class ConnectSinkIT {

  private static final String TOPIC = "connect.users";
  private static final String DLQ = "connect.users.dlq";
  private static final String CONNECTOR = "users-sink";
  private static final String NAMESPACE = "cusers";
  private static final int PARTITIONS = 8;
  private static final int USERS = 1_000;
  private static final Duration SOON = Duration.ofSeconds(90);

  private static KafkaBroker kafka;
  private static RedisServer redis;

  @BeforeAll
  static void start() {
    kafka = KafkaBroker.start();
    redis = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    redis.close();
    kafka.close();
  }

  @Test
  void tasksWriteExactlyThroughATaskRestartAndAKilledWorker(@TempDir Path dir) throws Exception {
    kafka.createCompactedTopic(TOPIC, PARTITIONS);
    Path plugins = ConnectWorker.installPlugin(Path.of(System.getProperty("connect.plugin.zip")),
        Files.createDirectory(dir.resolve("plugins")));
    ConnectWorker first = new ConnectWorker(Files.createDirectory(dir.resolve("first")), kafka.bootstrapServers(),
        "distcache-connect", plugins);
    ConnectWorker second = new ConnectWorker(Files.createDirectory(dir.resolve("second")), kafka.bootstrapServers(),
        "distcache-connect", plugins);
    Random random = new Random(13);
    try (Rows rows = new Rows(kafka.bootstrapServers());
        CacheManager manager = Caching.getCachingProvider("io.distcache.jcache.spi.DistCachingProvider")
            .getCacheManager(URI.create(redis.uri()), ConnectSinkIT.class.getClassLoader(), new Properties())) {
      Cache<String, Map<String, Object>> edge = manager.createCache("users",
          new DistCacheConfiguration<String, Map<String, Object>>().setNamespace(NAMESPACE));
      OffsetWatcher offsets = new OffsetWatcher();
      offsets.start();
      rows.publish(random, 5_000);
      first.start();
      second.start();
      await().atMost(SOON).until(() -> first.up() && second.up());
      // the workers' class path lacks distcache: the connector was found in the plugin directory
      assertThat(first.get("/connector-plugins").body()).contains("io.distcache.connect.DistcacheSinkConnector");
      assertThat(first.post("/connectors", connectorJson()).statusCode()).isEqualTo(201);
      await().atMost(SOON).pollInterval(Duration.ofMillis(500)).until(() -> running(first, 2));
      await().atMost(SOON).pollInterval(Duration.ofMillis(200)).until(() -> rows.matches(edge));

      // live changes, read through javax.cache by an edge that has the old values in its near cache
      rows.publish(random, 2_000);
      await().atMost(SOON).pollInterval(Duration.ofMillis(200)).until(() -> rows.matches(edge));

      // a record the projection rejects goes to Connect's dead-letter queue; the rest goes on
      rows.raw("{\"id\":99999}".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8));
      rows.publish(random, 500);
      // at least once: a record rejected in a batch that Connect put again is reported again
      await().atMost(SOON).until(() -> deadLetters() >= 1);

      assertThat(first.post("/connectors/" + CONNECTOR + "/tasks/0/restart", "").statusCode()).isIn(200, 202, 204);
      rows.publish(random, 2_000);
      await().atMost(SOON).pollInterval(Duration.ofMillis(500)).until(() -> running(first, 2));
      await().atMost(SOON).pollInterval(Duration.ofMillis(200)).until(() -> rows.matches(edge));

      // kill -9 of a worker during live traffic: its task moves to the other worker
      rows.publish(random, 2_000);
      second.kill();
      rows.publish(random, 2_000);
      await().atMost(SOON).pollInterval(Duration.ofMillis(500)).until(() -> tasksOn(first) == 2);
      await().atMost(SOON).pollInterval(Duration.ofMillis(200)).until(() -> rows.matches(edge));
      second.start();
      await().atMost(SOON).until(second::up);
      rows.publish(random, 2_000);
      await().atMost(SOON).pollInterval(Duration.ofMillis(500)).until(() -> running(first, 2));
      await().atMost(SOON).pollInterval(Duration.ofMillis(200)).until(() -> rows.matches(edge));

      rows.assertEquals(edge);
      offsets.stopWatching();
      assertThat(offsets.samples).as("samples of Connect's committed offsets").isPositive();
      assertThat(offsets.ahead).as("committed offsets beyond those Redis stored").isEmpty();
    } finally {
      first.kill();
      second.kill();
    }
  }

  private static String connectorJson() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", "io.distcache.connect.DistcacheSinkConnector");
    config.put("tasks.max", "2");
    config.put("topics", TOPIC);
    config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    config.put("redis.uri", redis.uri());
    config.put("projection[users].namespace", NAMESPACE);
    config.put("projection[users].format", "json");
    config.put("projection[users].key-template", "user:{id}");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", DLQ);
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    StringBuilder json = new StringBuilder("{\"name\":\"" + CONNECTOR + "\",\"config\":{");
    config.forEach((key, value) -> json.append('"').append(key).append("\":\"").append(value).append("\","));
    json.setLength(json.length() - 1);
    return json.append("}}").toString();
  }

  /** Whether the connector and {@code tasks} tasks run, as the REST API reports them. */
  private static boolean running(ConnectWorker worker, int tasks) {
    try {
      String status = worker.get("/connectors/" + CONNECTOR + "/status").body();
      return status.contains("\"connector\":{\"state\":\"RUNNING\"")
          && status.split("\"state\":\"RUNNING\"", -1).length - 2 == tasks;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** How many of the connector's tasks run on {@code worker}. */
  private static int tasksOn(ConnectWorker worker) {
    try {
      String status = worker.get("/connectors/" + CONNECTOR + "/status").body();
      String tasks = status.substring(status.indexOf("\"tasks\""));
      return tasks.split("\"state\":\"RUNNING\",\"worker_id\":\"" + worker.id() + "\"", -1).length - 1;
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  private static int deadLetters() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(DLQ, Duration.ofSeconds(5)).stream()
          .map(info -> new TopicPartition(DLQ, info.partition())).toList();
      return consumer.endOffsets(partitions).values().stream().mapToInt(Long::intValue).sum();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * Reads Connect's committed offsets of the connector's consumer group, then the offsets stored in Redis, over and
   * over: Redis's only grow, so a committed offset beyond the stored one read after it ran ahead of the data.
   */
  private static final class OffsetWatcher extends Thread {

    private final List<String> ahead = new CopyOnWriteArrayList<>();
    private volatile boolean watching = true;
    private volatile int samples;

    OffsetWatcher() {
      super("offset-watcher");
      setDaemon(true);
    }

    @Override
    public void run() {
      Properties props = new Properties();
      props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (Admin admin = Admin.create(props)) {
        while (watching) {
          Map<TopicPartition, OffsetAndMetadata> committed;
          try {
            committed = admin.listConsumerGroupOffsets("connect-" + CONNECTOR).partitionsToOffsetAndMetadata().get();
          } catch (Exception e) {
            continue;
          }
          committed.forEach((partition, offset) -> {
            String stored = redis.command("HGET", "dc:{dc}:" + NAMESPACE + ":meta", "offset:" + partition.partition());
            long storedOffset = stored == null || stored.isEmpty() ? 0 : Long.parseLong(stored);
            if (offset != null && offset.offset() > storedOffset) {
              ahead.add(partition + ": committed " + offset.offset() + ", stored " + storedOffset);
            }
          });
          samples += committed.isEmpty() ? 0 : 1;
          sleepQuietly();
        }
      }
    }

    private static void sleepQuietly() {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void stopWatching() throws InterruptedException {
      watching = false;
      join();
    }
  }

  /** A core service publishing JSON user rows, keeping the compacted state they imply. */
  private static final class Rows implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<Long, Map<String, Object>> state = new HashMap<>();
    private final Map<Long, Long> revisions = new HashMap<>();
    private final Set<Long> ids = new HashSet<>();

    Rows(String bootstrapServers) {
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
      producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    void publish(Random random, int records) {
      for (int i = 0; i < records; i++) {
        long id = random.nextInt(USERS);
        ids.add(id);
        if (random.nextInt(8) == 0) {
          state.remove(id);
          send(key(id), null);
        } else {
          long rev = revisions.merge(id, 1L, Long::sum);
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("id", id);
          row.put("name", "User " + id);
          row.put("rev", rev);
          state.put(id, row);
          send(key(id), ("{\"id\":" + id + ",\"name\":\"User " + id + "\",\"rev\":" + rev + "}")
              .getBytes(StandardCharsets.UTF_8));
        }
      }
      producer.flush();
    }

    void raw(byte[] key, byte[] value) {
      send(key, value);
      producer.flush();
    }

    private void send(byte[] key, byte[] value) {
      producer.send(new ProducerRecord<>(TOPIC, key, value));
    }

    private static byte[] key(long id) {
      return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
    }

    boolean matches(Cache<String, Map<String, Object>> edge) {
      try {
        assertEquals(edge);
        return true;
      } catch (AssertionError | javax.cache.CacheException e) {
        return false;
      }
    }

    void assertEquals(Cache<String, Map<String, Object>> edge) {
      for (long id : ids) {
        assertThat(edge.get("user:" + id)).as("user:%d", id).isEqualTo(state.get(id));
      }
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
