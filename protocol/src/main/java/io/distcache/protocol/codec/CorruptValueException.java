package io.distcache.protocol.codec;

import javax.cache.CacheException;

/**
 * Stored bytes — a value envelope, a value payload or an encoded key — cannot be decoded.
 *
 * <p>Typical causes: the bytes were not written by distcache, they were written by a newer distcache
 * (unknown flags or codec), or by a version of the value's class whose fields differ from the class on
 * this JVM. The message says which; evicting the key or rebuilding the namespace replaces the bytes.
 */
public final class CorruptValueException extends CacheException {

  private final String valueClass;

  /** Creates the exception with a message saying what could not be decoded and what to do about it. */
  public CorruptValueException(String message) {
    this(message, null, null);
  }

  /** Creates the exception with a message and the failure of the underlying decoder. */
  public CorruptValueException(String message, Throwable cause) {
    this(message, cause, null);
  }

  /**
   * Creates the exception with a message, the failure of the underlying decoder and the class the bytes name.
   *
   * @param valueClass the name of the value's class as written in the bytes, {@code null} if unknown
   */
  public CorruptValueException(String message, Throwable cause, String valueClass) {
    super(message, cause);
    this.valueClass = valueClass;
  }

  /** The name of the value's class as written in the bytes, or {@code null} when they do not say. */
  public String valueClass() {
    return valueClass;
  }
}
