package io.distcache.jcache.contention;

import io.distcache.jcache.redis.Mutation;
import io.distcache.jcache.redis.StoredEntry;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * A held lease on one key. Close it when done: a write fenced on it ({@link #fence}) already released it in
 * Redis; otherwise closing releases it. Its renewal stops either way.
 */
public final class Lease implements AutoCloseable {

  /** Gives the lease up in Redis when it is closed before a write released it. */
  private final Consumer<Lease> release;
  private final String encodedKey;
  private final String token;
  private final StoredEntry current;
  private volatile ScheduledFuture<?> renewal;
  private volatile boolean lost;
  private volatile boolean released;

  Lease(Consumer<Lease> release, String encodedKey, String token, StoredEntry current) {
    this.release = Objects.requireNonNull(release, "release");
    this.encodedKey = Objects.requireNonNull(encodedKey, "encodedKey");
    this.token = Objects.requireNonNull(token, "token");
    this.current = Objects.requireNonNull(current, "current");
  }

  void renewWith(ScheduledFuture<?> renewal) {
    this.renewal = renewal;
  }

  /** Records that a renewal found the lease taken by another or gone: the holder must not write through. */
  void markLost() {
    lost = true;
    stopRenewal();
  }

  /**
   * Whether a renewal found the lease lost. Checked before the writer is called; a lease lost after that is
   * caught by the fenced write.
   */
  public boolean isLost() {
    return lost;
  }

  void stopRenewal() {
    ScheduledFuture<?> scheduled = renewal;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }

  String encodedKey() {
    return encodedKey;
  }

  String token() {
    return token;
  }

  /** The entry as the master held it when the lease was taken. */
  public StoredEntry current() {
    return current;
  }

  /** {@code mutation}, fenced on this lease: applied only while the lease is held, and releasing it. */
  public Mutation fence(Mutation mutation) {
    return mutation.fencedBy(token);
  }

  boolean isReleased() {
    return released;
  }

  /** Records that a fenced write was applied, which released the lease in Redis. */
  public void releasedByWrite() {
    released = true;
  }

  @Override
  public void close() {
    stopRenewal();
    if (!released) {
      released = true;
      release.accept(this);
    }
  }
}
