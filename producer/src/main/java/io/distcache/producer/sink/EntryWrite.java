package io.distcache.producer.sink;

/**
 * One entry write of a batch: a value envelope or a tombstone envelope at a version.
 *
 * @param encodedKey the canonical key text ({@code KeyEncoder})
 * @param version the source offset, also inside the envelope
 * @param envelope the bytes to store ({@code Envelope.toBytes()})
 */
public record EntryWrite(String encodedKey, long version, byte[] envelope) {

  /** Key and version only; the envelope may hold personal data. */
  @Override
  public String toString() {
    return "EntryWrite[" + encodedKey + "@" + version + ", " + envelope.length + " bytes]";
  }
}
