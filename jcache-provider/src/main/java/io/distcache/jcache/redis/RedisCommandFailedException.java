package io.distcache.jcache.redis;

import javax.cache.CacheException;

/**
 * Redis answered a command with an error (e.g. an ACL denial or a wrong type): the server is up,
 * the command itself was refused.
 */
public final class RedisCommandFailedException extends CacheException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a complete, user-facing message. */
  public RedisCommandFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
