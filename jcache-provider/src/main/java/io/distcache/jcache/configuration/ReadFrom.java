package io.distcache.jcache.configuration;

import java.util.Locale;

/**
 * Which Redis nodes a cache reads its misses from.
 *
 * <p>Writes always go to the master; this only steers reads (docs/design.md §4: edges read from
 * replicas so the master's capacity is left to producers).
 */
public enum ReadFrom {

  /** Read from the master only: no replication lag, but all load lands on one node. */
  MASTER,

  /** Read from replicas only; reads fail while no replica is reachable. */
  REPLICA,

  /** Read from replicas, falling back to the master when none is reachable. The default. */
  REPLICA_PREFERRED;

  /**
   * Parses a configuration value.
   *
   * @param text {@code master}, {@code replica}, {@code replicaPreferred} or
   *     {@code replica-preferred}, in any letter case, surrounding blanks ignored
   * @return the matching constant
   * @throws IllegalArgumentException if {@code text} is none of those (the message lists them)
   */
  public static ReadFrom parse(String text) {
    // Comparing without '-', '_' and case accepts every spelling users copy from Lettuce,
    // Spring (replica-preferred) or the enum itself (REPLICA_PREFERRED).
    String normalized = text == null ? "" : text.strip().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    return switch (normalized) {
      case "master" -> MASTER;
      case "replica" -> REPLICA;
      case "replicapreferred" -> REPLICA_PREFERRED;
      default -> throw new IllegalArgumentException(
          "expected one of master, replica, replicaPreferred (or replica-preferred)");
    };
  }
}
