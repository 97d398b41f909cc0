package io.distcache.jcache.codec;

import javax.cache.CacheException;

/**
 * Stored bytes — a value envelope, a value payload or an encoded key — cannot be decoded.
 *
 * <p>Typical causes: the bytes were not written by distcache, they were written by a newer distcache
 * (unknown flags or codec), or by a version of the value's class whose fields differ from the class on
 * this JVM. The message says which; evicting the key or rebuilding the namespace replaces the bytes.
 */
public final class CorruptValueException extends CacheException {

  /** Creates the exception with a message saying what could not be decoded and what to do about it. */
  public CorruptValueException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the failure of the underlying decoder. */
  public CorruptValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
