package io.distcache.jcache.redis;

import io.distcache.protocol.codec.Envelope;

/**
 * What Redis holds under one entry key.
 *
 * @param envelope the raw value envelope, or {@code null} when the key does not exist
 * @param ttlMillis remaining time to live in milliseconds, {@code -1} without expiry (also when
 *     the read did not ask for it)
 * @param space the namespace layout (key space) it was read from, {@code null} when not known
 */
public record StoredEntry(byte[] envelope, long ttlMillis, Object space) {

  /** No entry at all under the key, as read from the key space {@code space}. */
  public static StoredEntry absentIn(Object space) {
    return new StoredEntry(null, -1, space);
  }

  /** An entry whose key space is not known: a near cache never serves it. */
  public StoredEntry(byte[] envelope, long ttlMillis) {
    this(envelope, ttlMillis, null);
  }

  /** True when a value is stored (tombstones count as absent). */
  public boolean isLive() {
    return envelope != null && (envelope[0] & Envelope.TOMBSTONE) == 0;
  }

  /** The stored version, 0 when nothing is stored. */
  public long version() {
    return envelope == null ? 0 : Envelope.versionOf(envelope);
  }
}
