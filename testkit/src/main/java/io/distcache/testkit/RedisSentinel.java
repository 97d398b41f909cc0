package io.distcache.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Sentinel ({@code redis-server <config> --sentinel}) on a free loopback port,
 * monitoring one master, with short failure detection so failover tests finish in seconds.
 */
public final class RedisSentinel implements AutoCloseable, Reaper.Discardable {

  /** The name the sentinel monitors the master under. */
  public static final String MASTER_NAME = "distcache";

  private static final Logger LOG = LoggerFactory.getLogger(RedisSentinel.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final int port;
  private final Path dir;
  private final Process process;

  private RedisSentinel(int port, Path dir, Process process) {
    this.port = port;
    this.dir = dir;
    this.process = process;
  }

  /**
   * Starts a sentinel monitoring {@code master} with quorum 1; it declares the master down after
   * {@code downAfter} and fails over to one of its replicas.
   */
  public static RedisSentinel monitor(RedisServer master, Duration downAfter) {
    int port = FreePorts.find();
    try {
      Path dir = Files.createTempDirectory("distcache-sentinel-" + port + "-");
      Path config = dir.resolve("sentinel.conf");
      // Sentinel rewrites its configuration file as it learns the topology: it must be writable.
      Files.writeString(config, String.join("\n",
          "port " + port,
          "bind 127.0.0.1",
          "dir " + dir,
          "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
          "sentinel down-after-milliseconds " + MASTER_NAME + " " + downAfter.toMillis(),
          "sentinel failover-timeout " + MASTER_NAME + " " + Math.max(1000, downAfter.toMillis() * 3),
          "sentinel parallel-syncs " + MASTER_NAME + " 1",
          ""));
      Process process = new ProcessBuilder(List.of(master.serverBinary().path().toString(), config.toString(),
          "--sentinel"))
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(dir.resolve("sentinel.log").toFile()))
          .start();
      RedisSentinel sentinel = new RedisSentinel(port, dir, process);
      Reaper.register(sentinel);
      sentinel.awaitMaster();
      LOG.debug("Started sentinel on {} for {}", port, master);
      return sentinel;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start redis sentinel", e);
    }
  }

  /** The sentinel's port. */
  public int port() {
    return port;
  }

  /** The Lettuce-style URI of this sentinel and its master: {@code redis-sentinel://127.0.0.1:<port>#distcache}. */
  public String uri() {
    return "redis-sentinel://127.0.0.1:" + port + "#" + MASTER_NAME;
  }

  /** The port of the master the sentinel currently names, e.g. after a failover. */
  public int masterPort() {
    String reply = Resp.execute("127.0.0.1", port, null, PROBE_TIMEOUT,
        List.of("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME));
    return Integer.parseInt(reply.lines().skip(1).findFirst().orElseThrow().trim());
  }

  private void awaitMaster() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis sentinel exited: " + ServerFiles.tail(dir.resolve("sentinel.log"), 20));
      }
      try {
        masterPort();
        return;
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting redis sentinel", e);
      }
    }
    discard();
    throw new IllegalStateException("redis sentinel on port " + port + " did not answer within "
        + STARTUP_TIMEOUT.toSeconds() + " s: " + last + ServerFiles.tail(dir.resolve("sentinel.log"), 20));
  }

  @Override
  public void discard() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ServerFiles.deleteRecursively(dir);
    Reaper.unregister(this);
  }

  /** Stops the sentinel and deletes its directory. */
  @Override
  public void close() {
    discard();
  }
}
