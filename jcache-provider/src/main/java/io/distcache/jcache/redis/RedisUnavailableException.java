package io.distcache.jcache.redis;

import javax.cache.CacheException;

/**
 * Redis could not be reached or did not answer in time. The message names the cache, the namespace
 * and the server (never its password) and says what to check.
 */
public final class RedisUnavailableException extends CacheException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a complete, user-facing message. */
  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
