package io.distcache.checker;

/**
 * A read that returned a version older than one acknowledged more than the bound before it began.
 *
 * @param edge the edge (0-based) that served the read
 * @param key the key read
 * @param returned the version the read returned ({@code 0}: absent)
 * @param expected the oldest version the read could have returned within the bound ({@code 0}:
 *     absent, after Redis lost the data)
 * @param lagNanos how long before the read began the newer write had been acknowledged
 * @param atNanos when the read began, relative to the start of the run
 */
public record Violation(int edge, String key, long returned, long expected, long lagNanos, long atNanos) {

  @Override
  public String toString() {
    String newer = expected == 0 ? "Redis had lost that value" : "v" + expected + " was acknowledged";
    return String.format("edge %d read %s = v%d at +%.3f s, but %s %.3f ms earlier",
        edge, key, returned, atNanos / 1e9, newer, lagNanos / 1e6);
  }
}
