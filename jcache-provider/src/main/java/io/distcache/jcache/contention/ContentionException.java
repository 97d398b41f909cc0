package io.distcache.jcache.contention;

import javax.cache.CacheException;

/**
 * A cache operation gave up on a contended key: it waited too long for another writer's lease, tried its
 * compare-and-set too often, or lost its lease before it could commit. The message names the cache and key
 * and the setting to look at.
 */
public final class ContentionException extends CacheException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what happened and what to do. */
  public ContentionException(String message) {
    super(message);
  }
}
