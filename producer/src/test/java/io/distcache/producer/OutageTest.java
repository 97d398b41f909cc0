package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.fixture.CoreTopic;
import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.Producers;
import io.distcache.testkit.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Redis crashes and comes back empty: the producer retries, /health (readiness) says DOWN meanwhile while
 * /health/live stays UP, then it rebuilds.
 */
class OutageTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aRedisCrashIsRetriedReportedAndRepairedWithoutLoss() throws Exception {
    Infra.kafka().createCompactedTopic("outage.users", 2);
    Set<Long> ids = new HashSet<>();
    try (RedisServer redis = RedisServer.start();
        CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "outage.users")) {
      Properties props = Producers.properties("outage.users", "outage");
      props.setProperty("redis.uri", redis.uri());
      try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(props, "test"));
          Edge edge = new Edge(redis.uri(), "outage")) {
        publish(core, ids, 0, 2_000);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(core.state(), ids));
        // ready once the backload's last batch is confirmed and the projection is live
        await().atMost(Duration.ofSeconds(30)).until(() -> health(producer).statusCode() == 200);

        redis.kill();
        publish(core, ids, 1_000, 3_000);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> health(producer).statusCode() == 503);
        assertThat(health(producer).body()).contains("\"redis\":{\"status\":\"DOWN\"");
        assertThat(health(producer, "/health/live").statusCode()).as("alive through the outage: no restart")
            .isEqualTo(200);
        assertThat(producer.runners().get(0).status().phase()).isNotEqualTo(io.distcache.producer.ops.ProjectionStatus.Phase.STOPPED);

        redis.restart();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> edge.matches(core.state(), ids));
        edge.assertEquals(core.state(), ids);
        await().atMost(Duration.ofSeconds(30)).until(() -> health(producer).statusCode() == 200);
      }
    }
  }

  private static void publish(CoreTopic core, Set<Long> ids, long from, long to) {
    for (long id = from; id < to; id++) {
      ids.add(id);
      core.upsert(id);
    }
    core.flush();
  }

  private HttpResponse<String> health(CacheProducer producer) throws Exception {
    return health(producer, "/health");
  }

  private HttpResponse<String> health(CacheProducer producer, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + producer.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
