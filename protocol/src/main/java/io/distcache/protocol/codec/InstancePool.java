package io.distcache.protocol.codec;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Instances that are costly to create and used by one thread at a time, lent and given back without a lock or an
 * allocation, since borrowing is on hot paths. A thread looks first in the slot its id hashes to, so a thread usually
 * takes back the instance it gave, and threads rarely meet on a slot. An instance given back to a full pool is
 * dropped; a borrower that finds the pool empty gets a new one.
 */
final class InstancePool<T> {

  private final AtomicReferenceArray<T> slots;
  private final int mask;
  private final Supplier<T> factory;

  /**
   * Creates an empty pool.
   *
   * @param capacity the instances kept at most (1 to 2^30), rounded up to a power of two
   * @param factory creates an instance when none is free
   */
  InstancePool(int capacity, Supplier<T> factory) {
    if (capacity < 1 || capacity > 1 << 30) {
      throw new IllegalArgumentException("capacity " + capacity + " must be from 1 to 2^30");
    }
    int size = 1 << (Integer.SIZE - Integer.numberOfLeadingZeros(capacity - 1));
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
    this.factory = requireNonNull(factory, "factory");
  }

  /** A free instance, or a new one when none is. */
  T obtain() {
    int start = home();
    for (int i = 0; i <= mask; i++) {
      int index = (start + i) & mask;
      T instance = slots.get(index);
      if (instance != null && slots.compareAndSet(index, instance, null)) {
        return instance;
      }
    }
    return factory.get();
  }

  /**
   * Gives a borrowed instance back for others to borrow, at most once per {@link #obtain}; the caller must not use it
   * afterwards.
   */
  void free(T instance) {
    requireNonNull(instance, "instance");
    int start = home();
    for (int i = 0; i <= mask; i++) {
      int index = (start + i) & mask;
      if (slots.get(index) == null && slots.compareAndSet(index, null, instance)) {
        return;
      }
    }
  }

  /** Instances free now (tests). */
  int available() {
    int available = 0;
    for (int i = 0; i <= mask; i++) {
      available += slots.get(i) == null ? 0 : 1;
    }
    return available;
  }

  /** The instances kept at most. */
  int capacity() {
    return mask + 1;
  }

  /**
   * The slot this thread looks at first: its id, spread by the golden ratio so that consecutive ids part (24 bits of
   * the product, plenty for a pool of a few dozen slots).
   */
  private int home() {
    return (int) (Thread.currentThread().getId() * 0x9E3779B97F4A7C15L >>> 40) & mask;
  }
}
