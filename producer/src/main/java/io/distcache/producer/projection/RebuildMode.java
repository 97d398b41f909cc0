package io.distcache.producer.projection;

/** How a projection rebuilds its namespace ({@code projection[<name>].rebuild}). */
public enum RebuildMode {
  /**
   * A new generation is loaded beside the one edges read and switched in at once (standalone and Sentinel
   * masters; Redis Cluster always rebuilds in place). Needs edges of this release or later.
   */
  BESIDE,
  /**
   * The namespace is emptied and loaded again where edges read it, as releases before builds beside did:
   * for edges of an older release during a rolling upgrade, which read only the first key space.
   */
  IN_PLACE
}
