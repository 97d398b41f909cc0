package io.distcache.producer;

import static java.util.Objects.requireNonNull;

import io.distcache.producer.projection.OffsetRegressionPolicy;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.source.SourceIdentity;
import io.distcache.protocol.namespace.Namespace;
import java.util.Map;

/**
 * Whether a namespace's stored offsets still describe the topic it was built from, and what the projection may do
 * when they do not: rebuild from the topic's start, or stop as {@code on-offset-regression} or a re-partitioning
 * demands.
 */
final class TopicChecks {

  private final ProjectionSettings settings;
  private final Namespace namespace;

  TopicChecks(ProjectionSettings settings, Namespace namespace) {
    this.settings = requireNonNull(settings, "settings");
    this.namespace = requireNonNull(namespace, "namespace");
  }

  /**
   * Why the stored offsets no longer describe the topic, or {@code null} when they do.
   *
   * @param now the topic as Kafka describes it
   * @param recorded the topic as the namespace recorded it
   */
  static String regression(SourceIdentity now, SourceIdentity recorded, Map<Integer, Long> offsets,
      Map<Integer, Long> ends, Map<Integer, Long> beginnings) {
    String recreated = now.recreatedSince(recorded);
    if (recreated != null) {
      return recreated;
    }
    for (Map.Entry<Integer, Long> offset : offsets.entrySet()) {
      Long end = ends.get(offset.getKey());
      if (end == null) {
        return "partition " + offset.getKey() + " has a stored offset but no longer exists";
      }
      if (offset.getValue() > end) {
        return "partition " + offset.getKey() + " ends at offset " + end + ", below the stored next offset "
            + offset.getValue() + " (the log lost its tail, e.g. in an unclean leader election, or was re-created)";
      }
      Long start = beginnings.get(offset.getKey());
      if (start != null && offset.getValue() < start) {
        return "partition " + offset.getKey() + " now starts at offset " + start + ", after the stored next offset "
            + offset.getValue() + " (records were deleted by retention or DeleteRecords before they were applied,"
            + " deletes among them)";
      }
    }
    return null;
  }

  /**
   * Stops the projection when the topic gained partitions. Keys then live in two partitions of the topic
   * itself, whose offsets cannot order one key's records: neither going on nor rebuilding from the topic
   * gives every key its latest value, so an operator must repopulate the topic.
   */
  void refuseRepartitioned(SourceIdentity now, SourceIdentity recorded) {
    if (now.repartitionedSince(recorded)) {
      throw new ProjectionRefusedException("topic '" + settings.topic() + "' now has " + now.partitions()
          + " partitions, not the " + recorded.partitions() + " namespace " + namespace + " was built from:"
          + " keys moved to other partitions, whose offsets cannot order a key's records, so neither going on nor"
          + " rebuilding gives every key its latest value. Re-create the topic with the new partition count and"
          + " publish the rows again (the producer then rebuilds the namespace on its own)");
    }
  }

  /** Stops the projection when an offset regression ({@code regression}) would rebuild it and the policy forbids it. */
  void refuseRegression(String reason, boolean regression) {
    if (regression && settings.onOffsetRegression() == OffsetRegressionPolicy.FAIL) {
      throw new ProjectionRefusedException("the offsets stored in namespace " + namespace + " no longer match"
          + " topic '" + settings.topic() + "': " + reason + "; projection[" + settings.name() + "].on-offset-regression"
          + " = fail, so the namespace is left as it is. Rebuild it (on-offset-regression = rebuild) or restore the"
          + " topic");
    }
  }
}
