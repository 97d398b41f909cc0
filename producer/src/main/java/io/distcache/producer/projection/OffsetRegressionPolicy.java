package io.distcache.producer.projection;

/**
 * What a projection does when the offsets stored in its namespace no longer describe its topic: the topic
 * was deleted and created again, gained partitions, or lost its tail in an unclean leader election. The
 * stored versions are then offsets of another log, and newer records would be refused as older.
 */
public enum OffsetRegressionPolicy {
  /** Log it, empty the namespace under a new generation and read the topic again from its start. */
  REBUILD,
  /** Log it and stop the projection, leaving the namespace as it is for an operator. */
  FAIL
}
