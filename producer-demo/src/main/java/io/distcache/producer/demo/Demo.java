package io.distcache.producer.demo;

import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.producer.CacheProducer;
import io.distcache.producer.ProjectionRunner;
import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.testkit.KafkaBroker;
import io.distcache.testkit.RedisServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The walk-through behind {@code java -jar distcache-producer-demo.jar}: a real Kafka broker (KRaft) and
 * redis-server from the testkit, a compacted topic of users as a core service would publish them, the
 * producer projecting it into namespace {@code users}, and an edge that reads only through
 * {@code javax.cache}. It prints what the edge sees, then stops everything it started.
 */
public final class Demo {

  private static final String TOPIC = "core.users";
  private static final String NAMESPACE = "users";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Demo() {
  }

  /**
   * Runs the demo.
   *
   * @param users how many sample users to publish before the producer starts
   * @param out where the story is printed
   * @return whether the edge saw the backload, the update and the delete
   */
  public static boolean run(int users, PrintStream out) throws Exception {
    out.println("[demo] starting Kafka (KRaft, in this JVM) and redis-server on free loopback ports ...");
    try (KafkaBroker kafka = KafkaBroker.start(); RedisServer redis = RedisServer.start()) {
      kafka.createCompactedTopic(TOPIC, 3);
      out.printf("[demo] Kafka at %s, Redis at %s; compacted topic %s (3 partitions)%n", kafka.bootstrapServers(),
          redis.uri(), TOPIC);
      try (KafkaProducer<byte[], byte[]> core = coreService(kafka)) {
        for (int id = 1; id <= users; id++) {
          publish(core, id, user(id, "User " + id, "silver"));
        }
        core.flush();
        out.printf("[demo] the core service published %,d users%n", users);
        return project(kafka, redis, core, users, out);
      }
    } finally {
      out.println("[demo] stopped Kafka, redis-server and the producer; temporary files deleted");
    }
  }

  private static boolean project(KafkaBroker kafka, RedisServer redis, KafkaProducer<byte[], byte[]> core, int users,
      PrintStream out) throws Exception {
    long start = System.nanoTime();
    try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(settings(kafka, redis), "demo settings"));
        CacheManager edge = edge(redis)) {
      ProjectionRunner runner = producer.runners().get(0);
      if (!await(() -> runner.status().phase() == Phase.LIVE)) {
        out.println("[demo] FAILED: the backload did not finish within " + WAIT.toSeconds() + " s");
        return false;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf("[demo] producer: backload done, %,d users in namespace users %.1f s after the producer started"
          + " (metrics on http://localhost:%d/metrics, health on /health)%n", users, seconds, producer.httpPort());
      Cache<String, Map<String, Object>> cache = edge.getCache("users");
      int id = Math.min(42, users);
      out.printf("[demo] edge: users.get(\"user:%d\") = %s%n", id, cache.get("user:" + id));
      long update = System.nanoTime();
      publish(core, id, user(id, "User " + id + " (renamed)", "gold"));
      core.flush();
      boolean updated = await(() -> "gold".equals(tier(cache.get("user:" + id))));
      out.printf("[demo] edge: live update arrived in %.1f ms: users.get(\"user:%d\") = %s%n",
          (System.nanoTime() - update) / 1e6, id, cache.get("user:" + id));
      int gone = Math.min(7, users);
      out.printf("[demo] edge: users.get(\"user:%d\") = %s%n", gone, cache.get("user:" + gone));
      long delete = System.nanoTime();
      core.send(new ProducerRecord<>(TOPIC, key(gone), null));
      core.flush();
      boolean deleted = await(() -> cache.get("user:" + gone) == null);
      out.printf("[demo] edge: delete arrived in %.1f ms: users.get(\"user:%d\") = %s%n",
          (System.nanoTime() - delete) / 1e6, gone, cache.get("user:" + gone));
      boolean ok = updated && deleted;
      out.println(ok ? "[demo] done: the edge followed backload, update and delete through javax.cache only"
          : "[demo] FAILED: the edge did not see the " + (updated ? "delete" : "update"));
      return ok;
    }
  }

  private static Properties settings(KafkaBroker kafka, RedisServer redis) {
    Properties settings = new Properties();
    settings.setProperty("kafka.bootstrap.servers", kafka.bootstrapServers());
    settings.setProperty("redis.uri", redis.uri());
    settings.setProperty("http.port", "0");
    settings.setProperty("projection[users].topic", TOPIC);
    settings.setProperty("projection[users].namespace", NAMESPACE);
    settings.setProperty("projection[users].format", "json");
    settings.setProperty("projection[users].key-template", "user:{id}");
    settings.setProperty("projection[users].fields", "id,name,email,tier");
    settings.setProperty("projection[users].renames", "name:displayName");
    return settings;
  }

  private static CacheManager edge(RedisServer redis) {
    CachingProvider provider = Caching.getCachingProvider("io.distcache.jcache.spi.DistCachingProvider");
    CacheManager manager = provider.getCacheManager(URI.create(redis.uri()), Demo.class.getClassLoader());
    manager.createCache("users", new DistCacheConfiguration<String, Map<String, Object>>().setNamespace(NAMESPACE));
    return manager;
  }

  private static KafkaProducer<byte[], byte[]> coreService(KafkaBroker kafka) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static void publish(KafkaProducer<byte[], byte[]> core, int id, String row) {
    core.send(new ProducerRecord<>(TOPIC, key(id), row.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] key(int id) {
    return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static String user(int id, String name, String tier) {
    return "{\"id\":" + id + ",\"name\":\"" + name + "\",\"email\":\"user" + id + "@example.com\",\"tier\":\"" + tier
        + "\",\"password_hash\":\"not-for-edges\"}";
  }

  private static Object tier(Map<String, Object> user) {
    return user == null ? null : user.get("tier");
  }

  private static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(5);
    }
    return false;
  }
}
