package io.distcache.jcache.configuration;

import io.distcache.protocol.settings.Quantities;
import java.time.Duration;

/**
 * How a CacheManager's caches take turns on a contended key.
 *
 * @param leaseTime how long a per-key lease lives without renewal; the holder renews it every third of
 *     this while it computes and writes through, so it only runs out when the holder stops (a crash, a
 *     pause longer than this). Positive.
 * @param leaseWait how long an operation waits for another holder's lease before it fails. Positive; best
 *     longer than {@code leaseTime}, so a crashed holder's lease runs out before its waiters give up.
 * @param maxAttempts how many times an unleased compare-and-set write tries before it fails. At least 1.
 * @param maxBackoff the longest pause between two tries or two lease polls; pauses grow from 100 µs to
 *     this, each drawn at random between half and all of its bound. A failed compare-and-set is tried
 *     again at once twice (from the state the failed write returned) before the pauses start. Positive.
 */
public record ContentionSettings(Duration leaseTime, Duration leaseWait, int maxAttempts, Duration maxBackoff) {

  private static final ContentionSettings DEFAULTS = new ContentionSettings(
      SettingsTable.CONTENTION_LEASE_TIME.defaultValue(), SettingsTable.CONTENTION_LEASE_WAIT.defaultValue(),
      SettingsTable.CONTENTION_MAX_ATTEMPTS.defaultValue(), SettingsTable.CONTENTION_MAX_BACKOFF.defaultValue());

  /** Validates the components. */
  public ContentionSettings {
    Quantities.requirePositive("leaseTime", leaseTime);
    Quantities.requirePositive("leaseWait", leaseWait);
    Quantities.requirePositive("maxBackoff", maxBackoff);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (leaseTime.toMillis() < 3) {
      throw new IllegalArgumentException("leaseTime must be at least 3 ms (renewed every third), was " + leaseTime);
    }
  }

  /** Leases of 10 s, waits of up to 30 s, 100 attempts, pauses of up to 20 ms. */
  public static ContentionSettings defaults() {
    return DEFAULTS;
  }
}
