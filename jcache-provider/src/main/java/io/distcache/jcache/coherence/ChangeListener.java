package io.distcache.jcache.coherence;

import java.util.List;

/** Receives what the follower learns about one namespace, on the follower thread; must not block on Redis. */
public interface ChangeListener {

  /** Applies a batch of change-log records, in log order. */
  void onChanges(List<ChangeRecord> records);

  /**
   * The log can no longer say exactly what changed (records were trimmed before they were read, or
   * the namespace was flushed or rebuilt): every near copy must go.
   */
  void onReset(FlushCause cause, String reason);

  /**
   * The namespace has a new generation whose entries live in {@code space} ({@code null}: the first
   * layout): reads move there, then every near copy goes, in that order, so no fill of the old
   * generation lands after the flush.
   */
  void onSwitch(String space, FlushCause cause, String reason);

  /**
   * A producer's namespace lost its data, or is being rebuilt after it did: near copies stay and are served,
   * marked stale, until {@link #onSwitch} brings the rebuilt generation.
   */
  void onStale(String reason);

  /** The namespace's meta hash names {@code owner} (seen first, or changed since). */
  default void onOwner(String owner) {
  }

  /**
   * Redis answered the follower after the listener started from a snapshot ({@link ChangeLogFollower#resume}):
   * the log was checked to still hold the snapshot's record (or the near cache was flushed), and the records after
   * it are being applied.
   */
  default void onResumed() {
  }
}
