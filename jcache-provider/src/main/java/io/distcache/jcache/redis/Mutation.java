package io.distcache.jcache.redis;

import io.distcache.protocol.codec.EncodedValue;

/**
 * One conditional write of an entry, applied by the {@code mutate} script together with its new
 * version and change-log record.
 *
 * @param encodedKey the canonical cache key
 * @param expectation {@code ""} for any state, {@code "absent"}, or the version the live entry must have
 * @param value the value to store, {@code null} to delete
 * @param ttlMillis for a store: {@link #ETERNAL}, {@link #KEEP_TTL} or a positive duration
 * @param returnPrevious whether the previous envelope is wanted back
 * @param leaseToken {@code ""}, or the token of the key's lease the writer holds: the write is fenced on it
 *     and releases it
 */
public record Mutation(String encodedKey, String expectation, EncodedValue value, long ttlMillis,
    boolean returnPrevious, String leaseToken) {

  /** No expiry. */
  public static final long ETERNAL = -1;
  /** Keep the current TTL of an existing entry (eternal for a new one). */
  public static final long KEEP_TTL = -2;

  /** Stores a value whatever is there. */
  public static Mutation set(String encodedKey, EncodedValue value, long ttlMillis, boolean returnPrevious) {
    return new Mutation(encodedKey, "", value, ttlMillis, returnPrevious, "");
  }

  /** Deletes whatever is there. */
  public static Mutation delete(String encodedKey, boolean returnPrevious) {
    return new Mutation(encodedKey, "", null, ETERNAL, returnPrevious, "");
  }

  /** This mutation, applied only when no live entry exists. */
  public Mutation ifAbsent() {
    return new Mutation(encodedKey, "absent", value, ttlMillis, returnPrevious, leaseToken);
  }

  /**
   * This mutation, applied only when the live entry still has {@code version}. Version 0 is a real version
   * (a producer writes it for a partition's first offset); use {@link #ifAbsent()} for "no live entry".
   */
  public Mutation ifVersion(long version) {
    return new Mutation(encodedKey, Long.toString(version), value, ttlMillis, returnPrevious, leaseToken);
  }

  /**
   * This mutation, applied only while the lease with {@code token} is still held on the key; applying it
   * releases the lease. A writer whose lease ran out (and may have been taken by another) writes nothing.
   */
  public Mutation fencedBy(String token) {
    return new Mutation(encodedKey, expectation, value, ttlMillis, returnPrevious, token);
  }

  /** Whether the write is fenced on a lease. */
  public boolean isFenced() {
    return !leaseToken.isEmpty();
  }

  /** True for a delete. */
  public boolean isDelete() {
    return value == null;
  }

  /**
   * The script's answer.
   *
   * @param applied whether the write happened
   * @param version the new version when applied, else the current one
   * @param previous the envelope before the write when asked for or when not applied; {@code null} if none
   * @param existed whether a live entry existed before
   * @param leaseLost whether nothing was written because the writer no longer held the lease it was fenced on
   */
  public record Result(boolean applied, long version, byte[] previous, boolean existed, boolean leaseLost) {
  }
}
