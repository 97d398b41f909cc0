package io.distcache.jcache.coherence;

import java.util.Locale;

/**
 * Why a near cache was dropped whole: the change log could no longer say exactly what changed, or what a snapshot
 * restored grew too old to serve.
 */
public enum FlushCause {

  /** Records the follower had not read were trimmed or deleted, or the log was replaced by a failover. */
  LOG_GAP,
  /**
   * Redis lost data: the namespace's version counter went back, the tracked keys were flushed, or a namespace no
   * producer owns lost its meta hash or got a new generation (FLUSHALL, a node restarted empty).
   */
  DATA_LOSS,
  /** A producer made a new generation of its namespace current. */
  SWITCH,
  /** A change-log record named a key this JVM cannot decode. */
  UNDECODABLE_RECORD,
  /** Applying change-log records or client-tracking invalidations to the near cache failed. */
  APPLY_FAILURE,
  /** Client tracking was (re-)enabled, so invalidations sent before may be lost. */
  TRACKING_RESTARTED,
  /**
   * Values restored from a snapshot while Redis was unreachable reached {@code outage.stale-on-failure} after the
   * snapshot's time before Redis answered.
   */
  SNAPSHOT_EXPIRED;

  /** The cause as a meter tag value, e.g. {@code log_gap}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
