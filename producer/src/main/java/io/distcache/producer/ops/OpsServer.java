package io.distcache.producer.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The producer's HTTP endpoints (JDK {@code HttpServer}), in the shape of Spring Boot Actuator's:
 * <ul>
 *   <li>{@code /metrics}: Prometheus text format;</li>
 *   <li>{@code /health/live}: {@code 200} while every projection's loop goes round, so a liveness probe
 *       restarts only a stuck or failed process, never one waiting out a Redis or Kafka outage;</li>
 *   <li>{@code /health/ready} (and {@code /health}): {@code 200} when every projection reaches Redis and
 *       Kafka and follows its topic or stands by, else {@code 503}.</li>
 * </ul>
 */
public final class OpsServer implements AutoCloseable {

  /** How long a projection's loop may go without a round before {@code /health/live} reports it down. */
  public static final Duration LIVENESS_WINDOW = Duration.ofMinutes(2);
  private static final int THREADS = 4;

  private final HttpServer server;
  private final ExecutorService executor;

  private OpsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving.
   *
   * @param bindAddress the address to bind, {@code 0.0.0.0} for every interface
   * @param port the port; 0 picks a free one
   * @throws UncheckedIOException when the address and port cannot be bound
   */
  public static OpsServer start(String bindAddress, int port, PrometheusMeterRegistry registry,
      List<ProjectionStatus> statuses) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve /metrics and /health on " + bindAddress + ":" + port + " ("
          + e.getMessage() + "); choose another http.bind-address or http.port, or http.port = -1 to disable", e);
    }
    server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
        registry.scrape()));
    server.createContext("/health/live", exchange -> health(exchange, statuses, status -> status.alive(LIVENESS_WINDOW)));
    server.createContext("/health/ready", exchange -> health(exchange, statuses, ProjectionStatus::ready));
    server.createContext("/health", exchange -> health(exchange, statuses, ProjectionStatus::ready));
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
      Thread thread = new Thread(runnable, "distcache-producer-http-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.start();
    return new OpsServer(server, executor);
  }

  private static void health(HttpExchange exchange, List<ProjectionStatus> statuses, Predicate<ProjectionStatus> up)
      throws IOException {
    boolean allUp = statuses.stream().allMatch(up);
    String body = "{\"status\":\"" + (allUp ? "UP" : "DOWN") + "\",\"version\":\"" + ProducerVersion.get()
        + "\",\"components\":{" + statuses.stream()
        .map(status -> "\"" + ProjectionStatus.escape(status.name()) + "\":{\"status\":\""
            + (up.test(status) ? "UP" : "DOWN") + "\",\"details\":" + status.toJson() + "}")
        .collect(Collectors.joining(",")) + "}}";
    respond(exchange, allUp ? 200 : 503, "application/json", body);
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
    executor.shutdownNow();
  }
}
