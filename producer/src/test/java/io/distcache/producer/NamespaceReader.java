package io.distcache.producer;

import java.util.Map;
import java.util.Set;

/** Compares a producer namespace with the compacted state of its topic. */
interface NamespaceReader extends AutoCloseable {

  /** Asserts that the namespace holds exactly the compacted state for every id in {@code ids}. */
  void assertEquals(Map<Long, Map<String, Object>> expected, Set<Long> ids);

  /** Whether the namespace holds exactly the compacted state (for awaiting convergence; Redis may still be down). */
  boolean matches(Map<Long, Map<String, Object>> expected, Set<Long> ids);

  @Override
  void close();
}
