package io.distcache.producer;

import static java.util.Objects.requireNonNull;

import io.distcache.producer.ops.ProjectionMetrics;
import io.distcache.producer.ops.ProjectionStatus;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.sink.NamespaceSink;
import io.distcache.producer.source.TopicSource;
import java.time.Duration;
import java.util.Map;

/**
 * What a {@link ProjectionRunner} shares with the helpers that open its namespace ({@link BuildBeside},
 * {@link GroupMembership}), all on the runner's thread.
 *
 * @param settings the projection's settings
 * @param source the topic's consumer
 * @param sink the namespace's writer
 * @param metrics the projection's meters
 * @param status the projection's state, as the health endpoints show it
 * @param checks the topic checks (repartitioned, recreated, offsets gone)
 * @param stored the runner's next offset per partition, which the helpers set when they open the namespace: the same
 *     map the runner reads, not a copy
 * @param runner the runner's side: the generation it writes, the topic as it saw it, its batch in flight (drained,
 *     dropped), its reaction to a refusal, the backload's progress and the offsets it resumes at
 * @param endOffsetsTimeout how long a read of the topic's beginning or end offsets may take
 * @param retireGrace how long a key space no generation uses stays before it is deleted, so edges still reading it
 *     move over first
 */
record RunnerContext(ProjectionSettings settings, TopicSource source, NamespaceSink sink, ProjectionMetrics metrics,
    ProjectionStatus status, TopicChecks checks, Map<Integer, Long> stored, RunnerControl runner,
    Duration endOffsetsTimeout, Duration retireGrace) {

  RunnerContext {
    requireNonNull(settings, "settings");
    requireNonNull(source, "source");
    requireNonNull(sink, "sink");
    requireNonNull(metrics, "metrics");
    requireNonNull(status, "status");
    requireNonNull(checks, "checks");
    requireNonNull(stored, "stored");
    requireNonNull(runner, "runner");
    requireNonNull(endOffsetsTimeout, "endOffsetsTimeout");
    requireNonNull(retireGrace, "retireGrace");
  }
}
