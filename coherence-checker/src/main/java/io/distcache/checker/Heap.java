package io.distcache.checker;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * Heap use of this JVM, measured after a requested garbage collection so that the number reflects
 * live data (what a leak would grow), not garbage awaiting collection.
 *
 * @param usedBytes heap in use after the collection
 * @param committedBytes heap the JVM holds from the OS
 * @param maxBytes the heap limit, {@code -1} if undefined
 */
public record Heap(long usedBytes, long committedBytes, long maxBytes) {

  /** Collects garbage, then measures. */
  public static Heap used() {
    System.gc();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new Heap(heap.getUsed(), heap.getCommitted(), heap.getMax());
  }

  @Override
  public String toString() {
    return String.format("heap used %.1f MiB after GC (committed %.1f MiB, max %s)", usedBytes / 1048576.0,
        committedBytes / 1048576.0, maxBytes < 0 ? "unbounded" : String.format("%.1f MiB", maxBytes / 1048576.0));
  }
}
