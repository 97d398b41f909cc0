package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.expiry.ExpiryCalculator;

/**
 * What each of a cache's single-entry writes decides from the entry's current state ({@code null} when absent), as
 * JSR-107 specifies them, with the expiry policy's duration for a creation or an update. Pure functions: a
 * compare-and-set retry may ask again.
 */
final class WriteDecisions<V> {

  private final ExpiryCalculator expiry;

  WriteDecisions(ExpiryCalculator expiry) {
    this.expiry = requireNonNull(expiry, "expiry");
  }

  /** {@code put} and {@code getAndPut}: writes the value; the result is the previous one. */
  Planner<V, V> put(V value) {
    return current -> Plan.write(value, current == null ? expiry.creation() : expiry.update(),
        current == null ? null : current.value());
  }

  /** {@code putIfAbsent}: writes only over nothing; the result says whether it wrote. */
  Planner<V, Boolean> putIfAbsent(V value) {
    return current -> current != null ? Plan.none(Boolean.FALSE) : Plan.write(value, expiry.creation(), Boolean.TRUE);
  }

  /** {@code remove(key)} of a cache that leases writes: removes whatever is there; the result is what was. */
  Planner<V, Current<V>> remove() {
    return Plan::remove;
  }

  /** {@code getAndRemove} of a cache that leases writes: removes whatever is there; the result is its value. */
  Planner<V, V> getAndRemove() {
    return current -> Plan.remove(current == null ? null : current.value());
  }

  /** {@code remove(key, oldValue)}: removes only that value; a mismatch is an access. */
  Planner<V, Boolean> removeIfEquals(V oldValue) {
    return current -> {
      if (current == null) {
        return Plan.none(Boolean.FALSE);
      }
      return current.value().equals(oldValue) ? Plan.remove(Boolean.TRUE) : Plan.access(Boolean.FALSE);
    };
  }

  /** {@code replace(key, oldValue, newValue)}: replaces only that value; a mismatch is an access. */
  Planner<V, Boolean> replaceIfEquals(V oldValue, V newValue) {
    return current -> {
      if (current == null) {
        return Plan.none(Boolean.FALSE);
      }
      return current.value().equals(oldValue)
          ? Plan.write(newValue, expiry.update(), Boolean.TRUE) : Plan.access(Boolean.FALSE);
    };
  }

  /** {@code replace(key, value)}: replaces only an existing entry; the result says whether it did. */
  Planner<V, Boolean> replace(V value) {
    return current -> current == null ? Plan.none(Boolean.FALSE) : Plan.write(value, expiry.update(), Boolean.TRUE);
  }

  /** {@code getAndReplace}: replaces only an existing entry; the result is its previous value. */
  Planner<V, V> getAndReplace(V value) {
    return current -> current == null ? Plan.none(null) : Plan.write(value, expiry.update(), current.value());
  }
}
