package io.distcache.jcache.coherence;

import io.distcache.protocol.namespace.Namespace;

/**
 * One record of a namespace change log.
 *
 * @param encodedKey the canonical key that changed, or {@code *} when the whole namespace was cleared
 * @param version the version the change created, or {@link #UNKNOWN_VERSION}
 * @param generation for a switch record (a producer made a generation built beside the old one current),
 *     the new generation, else {@code null}
 * @param space for a switch record, the new generation's key space, else {@code null}
 * @param committedMillis when the change was committed, by the master's clock (the time of its change-log
 *     record's stream id, appended in the script that wrote the change), or {@link #UNKNOWN_TIME}
 */
public record ChangeRecord(String encodedKey, long version, String generation, String space, long committedMillis) {

  /** The version of a change learnt from Redis client tracking, which does not carry one. */
  public static final long UNKNOWN_VERSION = -1;

  /** The commit time of a change learnt from Redis client tracking, which does not carry one. */
  public static final long UNKNOWN_TIME = -1;

  /** A change of one key, or a clear, of unknown commit time. */
  public ChangeRecord(String encodedKey, long version) {
    this(encodedKey, version, null, null, UNKNOWN_TIME);
  }

  /** True when the record says the whole namespace changed. */
  public boolean isClear() {
    return Namespace.CLEAR_MARKER.equals(encodedKey);
  }

  /** True when the record says the namespace now reads another generation, in {@link #space()}. */
  public boolean isSwitch() {
    return generation != null;
  }
}
