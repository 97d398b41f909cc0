package io.distcache.jcache.coherence;

import io.distcache.jcache.namespace.Namespace;

/**
 * One record of a namespace change log.
 *
 * @param encodedKey the canonical key that changed, or {@code *} when the whole namespace was cleared
 * @param version the version the change created, or {@link #UNKNOWN_VERSION}
 */
public record ChangeRecord(String encodedKey, long version) {

  /** The version of a change learnt from Redis client tracking, which does not carry one. */
  public static final long UNKNOWN_VERSION = -1;

  /** True when the record says the whole namespace changed. */
  public boolean isClear() {
    return Namespace.CLEAR_MARKER.equals(encodedKey);
  }
}
