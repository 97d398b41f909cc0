package io.distcache.jcache.redis;

import javax.cache.CacheException;

/**
 * A cache tried to write (put, remove, clear, a load) a namespace that a distcache producer projects
 * from a Kafka topic. Such a namespace is read-only for edges: its versions are source offsets, and an
 * edge's write would be ignored by other edges or overwritten by the producer. Nothing was written.
 */
public final class ProducerOwnedNamespaceException extends CacheException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the cache, namespace and owner. */
  public ProducerOwnedNamespaceException(String message) {
    super(message);
  }
}
