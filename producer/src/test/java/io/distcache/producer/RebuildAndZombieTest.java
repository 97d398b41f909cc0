package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.codec.Envelope;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** FLUSHALL while running, and two producer instances on one projection. */
class RebuildAndZombieTest {

  @Test
  void flushAllIsNoticedAndTheNamespaceIsRebuiltWhileAnEdgeConverges() {
    Infra.kafka().createCompactedTopic("flush.users", 3);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "flush.users");
        CacheProducer producer = CacheProducer.start(Producers.settings("flush.users", "flush"));
        Edge edge = new Edge(Infra.redis().uri(), "flush")) {
      for (long id = 0; id < 5_000; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> edge.matches(core.state(), ids));
      double rebuildsBefore = producer.registry().get("distcache.producer.rebuilds").counter().count();

      Infra.redis().command("FLUSHALL");
      // written after the flush; the namespace must end up with these and every earlier row
      for (long id = 0; id < 200; id++) {
        core.upsert(id);
      }
      core.delete(4_999);
      core.flush();

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> edge.matches(core.state(), ids));
      edge.assertEquals(core.state(), ids);
      assertThat(producer.registry().get("distcache.producer.rebuilds").counter().count()).isGreaterThan(rebuildsBefore);
      assertThat(Infra.redis().command("HGET", "dc:{dc}:flush:meta", "generation")).isNotEmpty();
    }
  }

  @Test
  void twoInstancesOnOneProjectionNeverLeaveAnOlderValue() throws Exception {
    Infra.kafka().createCompactedTopic("twins.users", 4);
    Set<Long> ids = new HashSet<>();
    Map<Long, Long> highestSeen = new ConcurrentHashMap<>();
    AtomicBoolean regressed = new AtomicBoolean();
    AtomicBoolean watching = new AtomicBoolean(true);
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "twins.users");
        CacheProducer first = CacheProducer.start(Producers.settings("twins.users", "twins"));
        Edge edge = new Edge(Infra.redis().uri(), "twins")) {
      Random random = new Random(11);
      RedisClient client = RedisClient.create(Infra.redis().uri());
      StatefulRedisConnection<String, byte[]> redis =
          client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      Thread watcher = new Thread(() -> {
        // the stored version (source offset) of a key must never go back, whichever instance wrote last
        while (watching.get()) {
          for (long id = 0; id < 50; id++) {
            byte[] raw = redis.sync().get("dc:twins:k:s:user:" + id);
            if (raw != null) {
              long version = Envelope.versionOf(raw);
              if (highestSeen.merge(id, version, Math::max) > version) {
                regressed.set(true);
              }
            }
          }
        }
      });
      watcher.start();
      CacheProducer second = null;
      try {
        for (int i = 0; i < 20_000; i++) {
          long id = random.nextInt(50);
          ids.add(id);
          core.upsert(id);
          if (i == 5_000) {
            core.flush();
            // a second instance starts late and replays the topic from the stored offsets
            second = CacheProducer.start(Producers.settings("twins.users", "twins"));
          }
          if (i == 15_000) {
            second.close();
            // and a third one starts again from whatever it finds, racing the first
            second = CacheProducer.start(Producers.settings("twins.users", "twins"));
          }
        }
        core.flush();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(core.state(), ids));
        ProjectionRunner late = second.runners().get(0);
        await().atMost(Duration.ofSeconds(60)).until(() -> late.status().phase() == Phase.LIVE);
        edge.assertEquals(core.state(), ids);
      } finally {
        watching.set(false);
        watcher.join();
        redis.close();
        client.shutdown();
        if (second != null) {
          second.close();
        }
      }
      assertThat(regressed).as("a stored version went backwards").isFalse();
      edge.assertEquals(core.state(), ids);
    }
  }
}
