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
  void onReset(String reason);
}
