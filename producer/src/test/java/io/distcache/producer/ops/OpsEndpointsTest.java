package io.distcache.producer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpsEndpointsTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void metricsArePrometheusTextAndReadinessTurnsDownWithRedisWhileLivenessStaysUp() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProjectionMetrics metrics = new ProjectionMetrics(registry, "users");
    metrics.batch(10, 2, Duration.ofMillis(3));
    metrics.rejected("malformed");
    metrics.lags(java.util.Map.of(0, 5L));
    metrics.applied(java.util.Map.of(0, 100L));
    ProjectionStatus status = new ProjectionStatus("users");
    status.phase(ProjectionStatus.Phase.LIVE);
    try (OpsServer server = OpsServer.start("127.0.0.1", 0, registry, List.of(status))) {
      HttpResponse<String> scrape = get(server, "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body())
          .contains("distcache_producer_records_total{outcome=\"written\",projection=\"users\"} 10.0")
          .contains("distcache_producer_dlq_total{projection=\"users\",reason=\"malformed\"} 1.0")
          .contains("distcache_producer_lag{partition=\"0\",projection=\"users\"} 5.0")
          .contains("distcache_producer_applied_offset{partition=\"0\",projection=\"users\"} 99.0")
          .contains("distcache_producer_batch_seconds_count{projection=\"users\"} 1");
      for (String path : List.of("/health", "/health/ready", "/health/live")) {
        HttpResponse<String> up = get(server, path);
        assertThat(up.statusCode()).as(path).isEqualTo(200);
        assertThat(up.body()).as(path).startsWith("{\"status\":\"UP\"")
            .contains("\"version\":\"" + ProducerVersion.get() + "\"")
            .contains("\"users\":{\"status\":\"UP\",\"details\":{\"phase\":\"LIVE\"");
      }

      // a Redis outage: not ready, but alive, so a liveness probe does not restart the pod
      status.redisError("namespace dc:users: cannot connect to Redis at redis://h:6379 (refused)");
      status.beat();
      HttpResponse<String> down = get(server, "/health/ready");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("cannot connect to Redis");
      assertThat(get(server, "/health").statusCode()).isEqualTo(503);
      assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);

      // a projection that stopped for good is not alive
      status.failed("the offsets stored in namespace dc:users no longer match topic 'core.users'");
      HttpResponse<String> dead = get(server, "/health/live");
      assertThat(dead.statusCode()).isEqualTo(503);
      assertThat(dead.body()).contains("\"phase\":\"FAILED\"").contains("no longer match");
    }
  }

  @Test
  void aStandbyIsReadyAndABackloadIsNot() throws Exception {
    ProjectionStatus status = new ProjectionStatus("users");
    try (OpsServer server = OpsServer.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        List.of(status))) {
      status.phase(ProjectionStatus.Phase.BACKLOAD);
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(503);
      assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
      status.phase(ProjectionStatus.Phase.STANDBY);
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aBuildShowsItsPhaseAndProgressInHealthAndMetrics() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProjectionMetrics metrics = new ProjectionMetrics(registry, "users");
    ProjectionStatus status = new ProjectionStatus("users");
    metrics.phases(status);
    BackloadProgress progress = new BackloadProgress("users", "build", java.util.Map.of(0, 0L, 1, 0L),
        java.util.Map.of(0, 600L, 1, 400L));
    progress.advance(250);
    status.progress(progress);
    metrics.progress(progress);
    status.phase(ProjectionStatus.Phase.BUILDING);
    try (OpsServer server = OpsServer.start("127.0.0.1", 0, registry, List.of(status))) {
      HttpResponse<String> ready = get(server, "/health/ready");
      assertThat(ready.statusCode()).as("a build is not ready").isEqualTo(503);
      assertThat(ready.body()).contains("\"phase\":\"BUILDING\"")
          .contains("\"progress\":{\"records\":250,\"total\":1000,\"percent\":25,");
      assertThat(get(server, "/metrics").body())
          .contains("distcache_producer_progress_records{projection=\"users\"} 250.0")
          .contains("distcache_producer_progress_records_expected{projection=\"users\"} 1000.0")
          .contains("distcache_producer_progress_eta_seconds{projection=\"users\"}")
          .contains("distcache_producer_phase{phase=\"BUILDING\",projection=\"users\"} 1.0")
          .contains("distcache_producer_phase{phase=\"LIVE\",projection=\"users\"} 0.0");

      status.phase(ProjectionStatus.Phase.SWITCHING);
      assertThat(get(server, "/health/ready").body()).contains("\"phase\":\"SWITCHING\"").doesNotContain("progress");
      status.phase(ProjectionStatus.Phase.LIVE);
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(server, "/metrics").body())
          .contains("distcache_producer_phase{phase=\"LIVE\",projection=\"users\"} 1.0");
    }
  }

  @Test
  void theServerBindsTheConfiguredAddressOnly() throws Exception {
    ProjectionStatus status = new ProjectionStatus("users");
    try (OpsServer server = OpsServer.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        List.of(status))) {
      java.net.InetAddress other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
          .stream().flatMap(nic -> java.util.Collections.list(nic.getInetAddresses()).stream())
          .filter(address -> address instanceof java.net.Inet4Address && !address.isLoopbackAddress())
          .findFirst().orElse(null);
      org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "this host has no IPv4 address besides loopback");
      try (java.net.Socket socket = new java.net.Socket()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(
            new java.net.InetSocketAddress(other, server.port()), 1000)).isInstanceOf(java.io.IOException.class);
      }
    }
  }

  private HttpResponse<String> get(OpsServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
