package io.distcache.jcache.coherence;

import java.util.List;

/** Receives the change-log records of one namespace, in log order, on the follower thread. */
@FunctionalInterface
public interface ChangeListener {

  /** Applies a batch of records; must not block on Redis. */
  void onChanges(List<ChangeRecord> records);
}
