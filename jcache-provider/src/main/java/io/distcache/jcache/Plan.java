package io.distcache.jcache;

import io.distcache.jcache.expiry.ExpiryCalculator;
import io.distcache.jcache.redis.Mutation;

/**
 * What an operation decided to do with an entry: a pure value, carried out by {@link EntryUpdater}.
 *
 * @param ttlMillis for SET: the expiry TTL ({@link ExpiryCalculator#EXPIRED} = must not be stored)
 * @param result what the operation returns to its caller
 * @param writeThrough what the {@code CacheWriter} is told before the entry is written
 */
record Plan<V, R>(Plan.Operation operation, V value, long ttlMillis, R result, Plan.WriteThrough writeThrough) {

  /** What happens to the entry. */
  enum Operation { NONE, ACCESS, SET, DELETE, EXPIRE }

  /** What the {@code CacheWriter} is told: nothing (loads, expiry), a write or a delete. */
  enum WriteThrough { NONE, WRITE, DELETE }

  static <V, R> Plan<V, R> none(R result) {
    return new Plan<>(Operation.NONE, null, 0, result, WriteThrough.NONE);
  }

  /** Leaves the entry as it is, but it was read: the expiry policy's access rule applies. */
  static <V, R> Plan<V, R> access(R result) {
    return new Plan<>(Operation.ACCESS, null, 0, result, WriteThrough.NONE);
  }

  /** Stores a value that does not go through the writer: a loaded one. */
  static <V, R> Plan<V, R> set(V value, long ttlMillis, R result) {
    return new Plan<>(Operation.SET, value, ttl(ttlMillis), result, WriteThrough.NONE);
  }

  /** Stores a value the application wrote, through the writer first. */
  static <V, R> Plan<V, R> write(V value, long ttlMillis, R result) {
    return new Plan<>(Operation.SET, value, ttl(ttlMillis), result, WriteThrough.WRITE);
  }

  /** A delete already made in Redis (an unconditional or batch one), to publish. */
  static <V, R> Plan<V, R> delete(R result) {
    return new Plan<>(Operation.DELETE, null, 0, result, WriteThrough.NONE);
  }

  /** Deletes the entry if there is one, through the writer first (called even for an absent entry). */
  static <V, R> Plan<V, R> remove(R result) {
    return new Plan<>(Operation.DELETE, null, 0, result, WriteThrough.DELETE);
  }

  /** Deletes an entry whose new expiry time has already passed. */
  static <V, R> Plan<V, R> expire(R result) {
    return new Plan<>(Operation.EXPIRE, null, 0, result, WriteThrough.NONE);
  }

  /** Whether this is a store whose expiry time has already passed, so the entry must go instead. */
  boolean expiresAtOnce() {
    return operation == Operation.SET && ttlMillis == ExpiryCalculator.EXPIRED;
  }

  /** Whether carrying the plan out changes the entry in Redis. */
  boolean changesEntry() {
    return operation == Operation.SET || operation == Operation.DELETE || operation == Operation.EXPIRE;
  }

  private static long ttl(long ttlMillis) {
    return ttlMillis == ExpiryCalculator.KEEP ? Mutation.KEEP_TTL : ttlMillis;
  }
}
