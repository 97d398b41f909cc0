package io.distcache.jcache.coherence;

/**
 * One record of a namespace change log.
 *
 * @param encodedKey the canonical key that changed, or {@code *} when the whole namespace was cleared
 * @param version the version the change created
 */
public record ChangeRecord(String encodedKey, long version) {

  /** True when the record says the whole namespace changed. */
  public boolean isClear() {
    return io.distcache.jcache.namespace.Namespace.CLEAR_MARKER.equals(encodedKey);
  }
}
