package io.distcache.jcache.configuration;

import io.distcache.protocol.settings.Quantities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a cache's near cache does beyond holding what was read: remembering confirmed misses, loading the
 * namespace when the cache starts, and keeping a snapshot on disk to start from while Redis is unreachable.
 *
 * @param negativeCaching whether confirmed misses are remembered
 * @param preload what is loaded into the near cache when the cache starts
 * @param preloadWait how long creating the cache waits for the preload to end; zero returns at once (reads go to
 *     Redis for what is not loaded yet)
 * @param snapshotDir the directory of the cache's snapshot file, {@code null} for no snapshot
 * @param snapshotInterval how often the snapshot is written (and when the cache closes); positive
 */
public record NearOptions(NegativeCaching negativeCaching, Preload preload, Duration preloadWait, Path snapshotDir,
    Duration snapshotInterval) {

  private static final NearOptions DEFAULTS = new NearOptions(SettingsTable.NEAR_NEGATIVE_CACHING.defaultValue(),
      SettingsTable.NEAR_PRELOAD.defaultValue(), SettingsTable.NEAR_PRELOAD_WAIT.defaultValue(),
      SettingsTable.NEAR_SNAPSHOT_DIR.defaultValue(), SettingsTable.NEAR_SNAPSHOT_INTERVAL.defaultValue());

  /**
   * Validates the components.
   *
   * @throws NullPointerException if a component other than {@code snapshotDir} is {@code null}
   * @throws IllegalArgumentException if {@code preloadWait} is negative or {@code snapshotInterval} not positive
   */
  public NearOptions {
    Objects.requireNonNull(negativeCaching, "negativeCaching");
    Objects.requireNonNull(preload, "preload");
    Objects.requireNonNull(preloadWait, "preloadWait");
    if (preloadWait.isNegative()) {
      throw new IllegalArgumentException("preloadWait must be >= 0, was " + preloadWait);
    }
    Quantities.requirePositive("snapshotInterval", snapshotInterval);
  }

  /** Misses remembered in producer namespaces only, no preload, no snapshot. */
  public static NearOptions defaults() {
    return DEFAULTS;
  }
}
