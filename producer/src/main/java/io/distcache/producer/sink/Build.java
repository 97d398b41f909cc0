package io.distcache.producer.sink;

import java.util.Objects;
import java.util.UUID;

/**
 * A generation of a namespace being built beside the current one: edges keep reading the current
 * generation until the build is switched in ({@link NamespaceSink#switchTo}).
 *
 * @param generation the new generation's id
 * @param space its key space, see {@link io.distcache.protocol.namespace.Namespace#inSpace}
 * @param projectionVersion the projection version it is built with
 */
public record Build(String generation, String space, String projectionVersion) {

  /**
   * A new generation in a key space of its own, both named afresh.
   *
   * @param projectionVersion the projection version it is built with
   */
  public static Build next(String projectionVersion) {
    return new Build(UUID.randomUUID().toString(),
        "g" + UUID.randomUUID().toString().replace("-", "").substring(0, 8), projectionVersion);
  }

  /** Checks that every component is present. */
  public Build {
    Objects.requireNonNull(generation, "generation");
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(projectionVersion, "projectionVersion");
  }
}
