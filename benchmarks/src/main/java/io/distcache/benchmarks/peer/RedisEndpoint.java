package io.distcache.benchmarks.peer;

import io.distcache.testkit.RedisServer;

/**
 * The redis-server every row of a run talks to. {@code benchmarks/run} starts one and passes its URI to
 * each JMH fork in the system property {@value #PROPERTY}; a fork started without it (a benchmark run
 * straight from an IDE) starts its own server on a free loopback port instead.
 */
public final class RedisEndpoint {

  /** System property holding the {@code redis://host:port} URI of the shared server. */
  public static final String PROPERTY = "benchmarks.redis-uri";

  private static RedisServer ownServer;

  private RedisEndpoint() {
  }

  /** The {@code redis://host:port} URI to use. */
  public static synchronized String uri() {
    String given = System.getProperty(PROPERTY);
    if (given != null && !given.isBlank()) {
      return given;
    }
    if (ownServer == null) {
      // stopped by the testkit's shutdown hook when the fork exits
      ownServer = RedisServer.start();
    }
    return "redis://" + ownServer.host() + ":" + ownServer.port();
  }
}
