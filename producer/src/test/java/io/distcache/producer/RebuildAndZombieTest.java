package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.fixture.CoreTopic;
import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.Producers;
import io.distcache.producer.fixture.TwinsScenario;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
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

  /** The key space part of the namespace's entry keys now, {@code ""} before its first build. */
  private static String space(StatefulRedisConnection<String, byte[]> redis) {
    byte[] space = redis.sync().hget("dc:{dc}:twins:meta", "space");
    return space == null ? "" : new String(space, java.nio.charset.StandardCharsets.UTF_8) + ":";
  }

  @Test
  void twoInstancesOnOneProjectionNeverLeaveAnOlderValue() throws Exception {
    RedisClient client = RedisClient.create(Infra.redis().uri());
    try (StatefulRedisConnection<String, byte[]> redis =
            client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        Edge edge = new Edge(Infra.redis().uri(), "twins")) {
      TwinsScenario.run("twins.users", () -> Producers.settings("twins.users", "twins"), edge,
          id -> redis.sync().get("dc:twins:" + space(redis) + "k:s:user:" + id));
    } finally {
      client.shutdown();
    }
  }
}
