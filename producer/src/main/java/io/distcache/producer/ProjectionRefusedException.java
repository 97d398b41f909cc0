package io.distcache.producer;

import javax.cache.CacheException;

/**
 * A projection cannot go on without an operator: its namespace belongs to another projection, or its
 * stored offsets no longer match the topic and {@code on-offset-regression = fail}. The projection stops;
 * the message says what was found and what to do.
 */
public final class ProjectionRefusedException extends CacheException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public ProjectionRefusedException(String message) {
    super(message);
  }
}
