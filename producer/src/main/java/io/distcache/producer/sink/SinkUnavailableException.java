package io.distcache.producer.sink;

import javax.cache.CacheException;

/** Redis did not accept or answer a producer command; the producer retries the batch with backoff. */
public final class SinkUnavailableException extends CacheException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the namespace, command and Redis address (no password). */
  public SinkUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
