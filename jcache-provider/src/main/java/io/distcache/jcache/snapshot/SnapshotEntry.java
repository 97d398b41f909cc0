package io.distcache.jcache.snapshot;

import java.util.Objects;

/**
 * One near-cache entry in a snapshot.
 *
 * @param encodedKey the entry's encoded cache key (as in its Redis key)
 * @param expiresAtMillis when it expires (epoch milliseconds), {@link Long#MAX_VALUE} for never
 * @param envelope its Redis value bytes, its version included
 */
public record SnapshotEntry(String encodedKey, long expiresAtMillis, byte[] envelope) {

  /** Validates the components. */
  public SnapshotEntry {
    Objects.requireNonNull(encodedKey, "encodedKey");
    Objects.requireNonNull(envelope, "envelope");
  }
}
