package io.distcache.benchmarks.propagation;

import io.distcache.benchmarks.data.Payload;

/**
 * A write path whose changes the {@link PropagationProbe} times until they reach an edge's near cache.
 *
 * <p>This is the extension point for further write paths: the producer variant implements it by
 * writing through the producer into the edge's namespace, and is added to
 * {@link PropagationScenarios#all()}.
 */
public interface UpdateSource extends AutoCloseable {

  /** The row label, e.g. "distcache put on another CacheManager". */
  String label();

  /** Writes {@code value} under {@code key}; returns once the write is acknowledged. */
  void update(String key, Payload value);

  @Override
  void close();
}
