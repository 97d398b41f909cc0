package io.distcache.jcache.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

/**
 * The Lettuce event loops and timers shared by every CacheManager of this class loader: managers
 * come and go (frameworks and the TCK create many), threads should not.
 */
final class SharedClientResources {

  private static volatile ClientResources resources;

  private SharedClientResources() {
  }

  static ClientResources get() {
    ClientResources current = resources;
    if (current == null) {
      synchronized (SharedClientResources.class) {
        current = resources;
        if (current == null) {
          current = DefaultClientResources.create();
          resources = current;
        }
      }
    }
    return current;
  }
}
