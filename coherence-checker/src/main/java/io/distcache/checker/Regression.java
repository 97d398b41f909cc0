package io.distcache.checker;

/**
 * A monotonic-read violation: a read through an edge returned an older version of a key than one
 * that edge had already returned to a read that ended before this one began. Unlike a
 * {@link Violation}, a regression is never excused by a fault window: an edge going back in time
 * is wrong however late it is.
 *
 * @param edge the edge (0-based) that served both reads
 * @param key the key read
 * @param returned the version the read returned ({@code 0}: absent)
 * @param seen the highest version the edge had returned for the key before the read began
 * @param atNanos when the read began, relative to the start of the run
 */
public record Regression(int edge, String key, long returned, long seen, long atNanos) {

  @Override
  public String toString() {
    return String.format("edge %d read %s = %s at +%.3f s after it had already read v%d",
        edge, key, returned == 0 ? "absent" : "v" + returned, atNanos / 1e9, seen);
  }
}
