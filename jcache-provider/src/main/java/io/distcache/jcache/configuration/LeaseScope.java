package io.distcache.jcache.configuration;

import java.util.Locale;

/**
 * Which operations of a cache take the per-key lease, so that across CacheManagers one of them at a
 * time computes, writes through and commits a key (docs/consistency.md, "Contention: the per-key lease").
 *
 * <p>Write-through caches always lease their writes: without it, a {@code CacheWriter} would see values
 * that lost a compare-and-set race, and writes in another order than the cache commits them.
 */
public enum LeaseScope {

  /** Writes of write-through caches only. The default. */
  AUTO,

  /** Every write and {@code invoke}, with or without a writer: an {@code EntryProcessor} runs once per call. */
  WRITES,

  /** Read-through loads (a fleet loads a cold key once), and the writes of write-through caches. */
  LOADS,

  /** Both {@link #WRITES} and {@link #LOADS}. */
  ALL;

  /** Whether writes take the lease, given whether the cache writes through. */
  public boolean leasesWrites(boolean writeThrough) {
    return writeThrough || this == WRITES || this == ALL;
  }

  /** Whether read-through loads take the lease. */
  public boolean leasesLoads() {
    return this == LOADS || this == ALL;
  }

  /**
   * Parses a configuration value.
   *
   * @param text {@code auto}, {@code writes}, {@code loads} or {@code all}, in any letter case, blanks ignored
   * @throws IllegalArgumentException if {@code text} is none of those (the message lists them)
   */
  public static LeaseScope parse(String text) {
    String normalized = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    return switch (normalized) {
      case "auto" -> AUTO;
      case "writes" -> WRITES;
      case "loads" -> LOADS;
      case "all" -> ALL;
      default -> throw new IllegalArgumentException("expected one of auto, writes, loads, all");
    };
  }
}
