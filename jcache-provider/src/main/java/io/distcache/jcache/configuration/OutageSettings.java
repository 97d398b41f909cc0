package io.distcache.jcache.configuration;

import io.distcache.protocol.settings.Quantities;
import java.time.Duration;

/**
 * How a CacheManager behaves while Redis is unreachable (its circuit breaker).
 *
 * @param staleOnFailure how long after Redis became unreachable near-cache hits are still served;
 *     after that, reads fail like misses. Positive.
 * @param retryInterval how long the breaker stays open before one call probes Redis again. Positive.
 * @param failureThreshold consecutive failed calls that open the breaker. At least 1.
 * @param replicaMaxLag how far a replica's copy of the heartbeat may trail before reads move to the
 *     master (a frozen replica, or one whose master is gone, keeps answering with old data). Positive.
 */
public record OutageSettings(Duration staleOnFailure, Duration retryInterval, int failureThreshold,
    Duration replicaMaxLag) {

  private static final OutageSettings DEFAULTS = new OutageSettings(
      SettingsTable.OUTAGE_STALE_ON_FAILURE.defaultValue(), SettingsTable.OUTAGE_RETRY_INTERVAL.defaultValue(),
      SettingsTable.OUTAGE_FAILURE_THRESHOLD.defaultValue(), SettingsTable.OUTAGE_REPLICA_MAX_LAG.defaultValue());

  /** Validates the components. */
  public OutageSettings {
    Quantities.requirePositive("staleOnFailure", staleOnFailure);
    Quantities.requirePositive("retryInterval", retryInterval);
    Quantities.requirePositive("replicaMaxLag", replicaMaxLag);
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be at least 1, was " + failureThreshold);
    }
  }

  /** Stale hits for 10 minutes, a probe every second, open after 2 consecutive failures, replicas may trail 2 s. */
  public static OutageSettings defaults() {
    return DEFAULTS;
  }
}
