package io.distcache.jcache.snapshot;

import java.util.Objects;

/**
 * What a snapshot's entries reflect.
 *
 * @param namespace the namespace's name with its key prefix ({@code prefix:name}), so that another namespace's
 *     snapshot is never read into a cache
 * @param generation the namespace generation, {@code ""} when it had none
 * @param space the key space the entries were read from, {@code ""} for the first one
 * @param logId the change-log id up to which every record had been applied to the entries
 * @param takenAtMillis when the entries were current (epoch milliseconds)
 */
public record SnapshotHeader(String namespace, String generation, String space, String logId, long takenAtMillis) {

  /** Validates the components. */
  public SnapshotHeader {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(generation, "generation");
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(logId, "logId");
  }
}
