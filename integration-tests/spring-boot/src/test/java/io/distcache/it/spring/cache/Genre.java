package io.distcache.it.spring.cache;

/** An application enum that appears in cache keys: no distcache setting names it. */
public enum Genre {
  FICTION,
  HISTORY
}
