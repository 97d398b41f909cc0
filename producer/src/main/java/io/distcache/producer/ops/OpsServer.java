package io.distcache.producer.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The producer's HTTP endpoints (JDK {@code HttpServer}): {@code /metrics} in Prometheus text format and
 * {@code /health} as JSON, {@code 200} when every projection reaches Redis and Kafka, else {@code 503}.
 */
public final class OpsServer implements AutoCloseable {

  private final HttpServer server;

  private OpsServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving on all interfaces.
   *
   * @param port the port; 0 picks a free one
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static OpsServer start(int port, PrometheusMeterRegistry registry, List<ProjectionStatus> statuses) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve /metrics and /health on port " + port + " (" + e.getMessage()
          + "); choose another http.port, or -1 to disable", e);
    }
    server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
        registry.scrape()));
    server.createContext("/health", exchange -> {
      boolean up = statuses.stream().allMatch(ProjectionStatus::healthy);
      String body = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"projections\":{" + statuses.stream()
          .map(status -> "\"" + ProjectionStatus.escape(status.name()) + "\":" + status.toJson())
          .collect(Collectors.joining(",")) + "}}";
      respond(exchange, up ? 200 : 503, "application/json", body);
    });
    server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "distcache-producer-http");
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
    return new OpsServer(server);
  }

  private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
