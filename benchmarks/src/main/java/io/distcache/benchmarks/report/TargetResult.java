package io.distcache.benchmarks.report;

/**
 * One target of the issue, checked against the run.
 *
 * @param target what was promised
 * @param measured the figure measured, or why there is none
 * @param met {@code true}/{@code false}, {@code null} when a row it needs did not run
 */
public record TargetResult(String target, String measured, Boolean met) {

  /** The verdict as shown in the table. */
  public String verdict() {
    return met == null ? "not measured" : met ? "met" : "**missed**";
  }
}
