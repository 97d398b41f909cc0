package io.distcache.jcache.near;

/**
 * What the near cache holds for a key: a value copy, or a marker saying "changed at version v"
 * that keeps an older value read from a lagging node from being cached (the fill race).
 */
public sealed interface NearEntry permits NearEntry.Present, NearEntry.Invalidated {

  /** The version of the entry in Redis this near entry reflects. */
  long version();

  /**
   * A cached value.
   *
   * @param value the value as the cache keeps it (a private copy when storing by value)
   * @param version its version in Redis
   * @param expiresAtNanos {@link System#nanoTime()} deadline, {@link Long#MAX_VALUE} for none
   * @param encodedSize the size of its Redis envelope, for the byte bound
   */
  record Present(Object value, long version, long expiresAtNanos, int encodedSize) implements NearEntry {
  }

  /**
   * A marker left by an invalidation.
   *
   * @param version the version that invalidated the key
   */
  record Invalidated(long version) implements NearEntry {
  }
}
