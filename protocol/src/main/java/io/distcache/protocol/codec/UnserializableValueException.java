package io.distcache.protocol.codec;

import javax.cache.CacheException;

/**
 * An allowed value or key could not be serialized (for example a field holds a type Kryo cannot write, or
 * a {@code writeObject} method failed). Raised at {@code put} time, before anything reaches Redis.
 */
public final class UnserializableValueException extends CacheException {

  /** Creates the exception with a message naming the value's class and the failure of the serializer. */
  public UnserializableValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
