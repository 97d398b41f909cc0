package io.distcache.jcache.redis;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.configuration.ReadFrom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a CacheManager's reads go: to replicas per each cache's read mode, or to the master while the replicas trail
 * beyond {@code outage.replica-max-lag} (the heartbeat check decides); and which replica modes are in use, the ones
 * whose health that check watches.
 */
final class ReadRouting {

  private static final Logger LOG = LoggerFactory.getLogger(ReadRouting.class);

  private final String address;
  private final Duration replicaMaxLag;
  private final Set<ReadFrom> modesInUse = EnumSet.noneOf(ReadFrom.class);
  private volatile boolean replicasLagging;

  ReadRouting(String address, Duration replicaMaxLag) {
    this.address = requireNonNull(address, "address");
    this.replicaMaxLag = requireNonNull(replicaMaxLag, "replicaMaxLag");
  }

  /** Whether a read in {@code readFrom} mode goes to the master. */
  boolean readsMaster(ReadFrom readFrom) {
    return readFrom == ReadFrom.MASTER || replicasLagging;
  }

  /** Notes that a cache reads replicas in {@code readFrom} mode. */
  synchronized void use(ReadFrom readFrom) {
    modesInUse.add(readFrom);
  }

  synchronized Set<ReadFrom> modesInUse() {
    return Set.copyOf(modesInUse);
  }

  /** Moves every mode's reads to the master while {@code lagging}, back when not; logs each change once. */
  void replicasLagging(boolean lagging) {
    if (replicasLagging != lagging) {
      replicasLagging = lagging;
      if (lagging) {
        LOG.warn("Redis replicas of {} trail the master by more than {} or do not answer; reading from the master",
            address, replicaMaxLag);
      } else {
        LOG.info("Redis replicas of {} caught up; reading from replicas again", address);
      }
    }
  }

  boolean replicasLagging() {
    return replicasLagging;
  }
}
