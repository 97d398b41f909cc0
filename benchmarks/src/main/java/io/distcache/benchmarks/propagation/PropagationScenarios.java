package io.distcache.benchmarks.propagation;

import io.distcache.benchmarks.peer.DistcachePeer;
import io.distcache.benchmarks.peer.OpenCache;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs the propagation measurement for every write path. */
public final class PropagationScenarios {

  private static final String CACHE_NAME = "propagation";

  private PropagationScenarios() {
  }

  /**
   * The write paths measured, each made from the edge's cache name. A producer variant is added here
   * as one more factory (it must write into the namespace of that cache name).
   */
  static List<Function<String, UpdateSource>> all() {
    return List.of(CacheManagerSource::new);
  }

  /** Measures every write path against a fresh edge CacheManager; {@code updates} recorded updates each. */
  public static List<LatencySummary> run(int warmup, int updates) {
    List<LatencySummary> summaries = new ArrayList<>();
    try (OpenCache edge = DistcachePeer.open(CACHE_NAME, true, DistcachePeer.NEAR_ITEMS_FOR_HITS).load()) {
      PropagationProbe probe = new PropagationProbe(DistcachePeer.unwrap(edge));
      for (Function<String, UpdateSource> factory : all()) {
        try (UpdateSource source = factory.apply(CACHE_NAME)) {
          summaries.add(probe.measure(source, warmup, updates));
        }
      }
    }
    return summaries;
  }
}
