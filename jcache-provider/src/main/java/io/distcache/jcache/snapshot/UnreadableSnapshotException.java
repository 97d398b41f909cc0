package io.distcache.jcache.snapshot;

import java.io.IOException;

/** A snapshot file that is not a whole snapshot this release can read: another format, damaged, or cut short. */
public final class UnreadableSnapshotException extends IOException {

  private static final long serialVersionUID = 1L;

  /** An unreadable snapshot, described by {@code message}. */
  public UnreadableSnapshotException(String message) {
    super(message);
  }
}
