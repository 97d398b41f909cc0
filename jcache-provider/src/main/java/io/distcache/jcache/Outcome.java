package io.distcache.jcache;

import io.distcache.protocol.codec.EncodedValue;

/**
 * What an operation on one entry did, once it is known: the state it acted on, the plan carried out (NONE,
 * ACCESS, or a SET, DELETE or EXPIRE that was applied in Redis), the bytes stored and the entry's new version.
 * The cache publishes near installs, statistics and events from it, once.
 *
 * @param before the state the plan was made from, {@code null} when the entry was absent
 * @param encoded for a SET, the bytes stored; else {@code null}
 * @param version for a change, the entry's new version
 */
record Outcome<V, R>(Current<V> before, Plan<V, R> plan, EncodedValue encoded, long version) {

  /** What the operation returns to its caller. */
  R result() {
    return plan.result();
  }
}
