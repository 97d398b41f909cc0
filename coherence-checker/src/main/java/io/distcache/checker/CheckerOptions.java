package io.distcache.checker;

import io.distcache.protocol.settings.Quantities;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link CoherenceChecker} runs and how strictly it judges.
 *
 * @param edges number of edge CacheManagers reading the namespace; at least 1
 * @param keys number of keys the writer updates and the edges read ({@code k0}, {@code k1}, ...); at least 1
 * @param quiescentKeys number of further keys the edges read but the writer leaves alone: each is written
 *     once more only by {@link CoherenceChecker#writeQuiescentKeys()}, so a near copy that missed that
 *     write's change-log record stays stale to the end instead of being dropped by the next write
 * @param readersPerEdge reader threads per edge, each reading random keys (back to back, or paced by
 *     {@code readRate}); at least 1
 * @param bound how long after a write's acknowledgement an edge may still return an older version
 *     (the staleness bound of docs/consistency.md); positive
 * @param writeRate writes per second the writer aims at; {@code 0} writes back to back
 * @param readRate reads per second each edge aims at, in total over its reader threads (each
 *     thread parks between reads, it does not spin); {@code 0} reads back to back, as many as the
 *     machine allows
 * @param commandTimeout the {@code command-timeout} (and {@code redis.connect-timeout}) of every
 *     CacheManager; a call that takes longer than this plus {@link #CALL_SLACK} counts as blocked
 * @param repairGrace how long after a fault ends stale reads are still tolerated: the time the
 *     provider may take to notice the repair (reconnect, replay or flush)
 * @param cacheName the cache every CacheManager opens; its namespace is derived from it
 */
public record CheckerOptions(int edges, int keys, int quiescentKeys, int readersPerEdge, Duration bound, int writeRate,
    int readRate, Duration commandTimeout, Duration repairGrace, String cacheName) {

  /**
   * Scheduling allowance on top of the command timeout before a call counts as blocked: Lettuce
   * fires command timeouts from a 100 ms timer wheel, and this machine may be busy.
   */
  public static final Duration CALL_SLACK = Duration.ofMillis(250);

  /**
   * The read rate of the {@code run} and {@code soak} commands ({@code --read-rate}) and of the test suites:
   * 20 000 reads per second per edge. Unpaced readers keep every core busy, and the starved follower and
   * Lettuce threads then deliver invalidations late enough to break a 5 ms bound before any fault.
   */
  public static final int DEFAULT_READ_RATE = 20_000;

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException if a count or duration is out of range
   */
  public CheckerOptions {
    requireAtLeastOne("edges", edges);
    requireAtLeastOne("keys", keys);
    if (quiescentKeys < 0) {
      throw new IllegalArgumentException("quiescentKeys must be >= 0, was " + quiescentKeys);
    }
    requireAtLeastOne("readersPerEdge", readersPerEdge);
    Quantities.requirePositive("bound", bound);
    Quantities.requirePositive("commandTimeout", commandTimeout);
    Objects.requireNonNull(repairGrace, "repairGrace");
    Objects.requireNonNull(cacheName, "cacheName");
    if (writeRate < 0) {
      throw new IllegalArgumentException("writeRate must be >= 0 (0 = unlimited), was " + writeRate);
    }
    if (readRate < 0) {
      throw new IllegalArgumentException("readRate must be >= 0 (reads per second per edge; 0 = unpaced), was "
          + readRate);
    }
  }

  /**
   * The defaults: 2 edges, 32 keys, no quiescent keys, 1 reader per edge, a 5 ms bound (the design's p99 goal for
   * loopback), 2000 writes/s, unpaced readers (the test suites and the {@code run} and {@code soak} commands pace
   * them, see {@link #DEFAULT_READ_RATE}),
   * 500 ms command timeout, 3 s repair grace, cache {@code checker}.
   *
   * @return the default options
   */
  public static CheckerOptions defaults() {
    return new CheckerOptions(2, 32, 0, 1, Duration.ofMillis(5), 2000, 0,
        Duration.ofMillis(500), Duration.ofSeconds(3), "checker");
  }

  /** These options with another number of edges. */
  public CheckerOptions withEdges(int value) {
    return new CheckerOptions(value, keys, quiescentKeys, readersPerEdge, bound, writeRate, readRate,
        commandTimeout, repairGrace, cacheName);
  }

  /** These options with another number of keys. */
  public CheckerOptions withKeys(int value) {
    return new CheckerOptions(edges, value, quiescentKeys, readersPerEdge, bound, writeRate, readRate,
        commandTimeout, repairGrace, cacheName);
  }

  /** These options with another number of quiescent keys. */
  public CheckerOptions withQuiescentKeys(int value) {
    return new CheckerOptions(edges, keys, value, readersPerEdge, bound, writeRate, readRate, commandTimeout,
        repairGrace, cacheName);
  }

  /** These options with another number of reader threads per edge. */
  public CheckerOptions withReadersPerEdge(int value) {
    return new CheckerOptions(edges, keys, quiescentKeys, value, bound, writeRate, readRate,
        commandTimeout, repairGrace, cacheName);
  }

  /** These options with another staleness bound. */
  public CheckerOptions withBound(Duration value) {
    return new CheckerOptions(edges, keys, quiescentKeys, readersPerEdge, value, writeRate, readRate,
        commandTimeout, repairGrace, cacheName);
  }

  /** These options with another write rate ({@code 0}: back to back). */
  public CheckerOptions withWriteRate(int value) {
    return new CheckerOptions(edges, keys, quiescentKeys, readersPerEdge, bound, value, readRate,
        commandTimeout, repairGrace, cacheName);
  }

  /** These options with another read rate per edge ({@code 0}: back to back). */
  public CheckerOptions withReadRate(int value) {
    return new CheckerOptions(edges, keys, quiescentKeys, readersPerEdge, bound, writeRate, value,
        commandTimeout, repairGrace, cacheName);
  }

  /** These options with another command timeout. */
  public CheckerOptions withCommandTimeout(Duration value) {
    return new CheckerOptions(edges, keys, quiescentKeys, readersPerEdge, bound, writeRate, readRate,
        value, repairGrace, cacheName);
  }

  /** These options with another repair grace. */
  public CheckerOptions withRepairGrace(Duration value) {
    return new CheckerOptions(edges, keys, quiescentKeys, readersPerEdge, bound, writeRate, readRate,
        commandTimeout, value, cacheName);
  }

  /** Every key the edges read: the hot ones, then the quiescent ones. */
  public int allKeys() {
    return keys + quiescentKeys;
  }

  /** The longest a single cache call may take before it counts as blocked. */
  public Duration blockedCallLimit() {
    return commandTimeout.plus(CALL_SLACK);
  }

  private static void requireAtLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }
}
