package io.distcache.producer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class OpsEndpointsTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void metricsArePrometheusTextAndHealthTurnsDownWithRedis() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProjectionMetrics metrics = new ProjectionMetrics(registry, "users");
    metrics.batch(10, 2, Duration.ofMillis(3));
    metrics.rejected("malformed");
    metrics.lags(java.util.Map.of(0, 5L));
    metrics.applied(java.util.Map.of(0, 100L));
    ProjectionStatus status = new ProjectionStatus("users");
    status.phase(ProjectionStatus.Phase.LIVE);
    try (OpsServer server = OpsServer.start(0, registry, List.of(status))) {
      HttpResponse<String> scrape = get(server, "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body())
          .contains("distcache_producer_records_total{outcome=\"written\",projection=\"users\"} 10.0")
          .contains("distcache_producer_dlq_total{projection=\"users\",reason=\"malformed\"} 1.0")
          .contains("distcache_producer_lag{partition=\"0\",projection=\"users\"} 5.0")
          .contains("distcache_producer_applied_offset{partition=\"0\",projection=\"users\"} 99.0")
          .contains("distcache_producer_batch_seconds_count{projection=\"users\"} 1");
      HttpResponse<String> up = get(server, "/health");
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.body()).startsWith("{\"status\":\"UP\"").contains("\"phase\":\"LIVE\"");

      status.redisError("namespace dc:users: cannot connect to Redis at redis://h:6379 (refused)");
      HttpResponse<String> down = get(server, "/health");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("cannot connect to Redis");
    }
  }

  private HttpResponse<String> get(OpsServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
