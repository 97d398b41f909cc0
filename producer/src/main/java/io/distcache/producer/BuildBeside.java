package io.distcache.producer;

import static java.util.Objects.requireNonNull;

import io.distcache.producer.ops.ProjectionMetrics;
import io.distcache.producer.ops.ProjectionStatus;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.sink.Build;
import io.distcache.producer.sink.Claim;
import io.distcache.producer.sink.NamespaceSink;
import io.distcache.producer.sink.PendingBatch;
import io.distcache.producer.source.SourceIdentity;
import io.distcache.producer.source.TopicSource;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single writer's rebuilds beside the current generation (standalone or Sentinel Redis): a new generation is
 * bulk-loaded from the topic's start in a key space of its own while edges keep reading the current one, resumed
 * from its own stored offsets after a crash, and switched in with one script once it reached the end offsets seen
 * when it started (docs/producer.md, "Rebuilds").
 */
final class BuildBeside {

  private static final Logger LOG = LoggerFactory.getLogger(BuildBeside.class);

  private final ProjectionSettings settings;
  private final TopicSource source;
  private final NamespaceSink sink;
  private final ProjectionMetrics metrics;
  private final ProjectionStatus status;
  private final TopicChecks checks;
  /** The runner's next offset per partition: the build's while one is under way. */
  private final Map<Integer, Long> stored;
  private final RunnerControl runner;
  private final Duration endOffsetsTimeout;
  private final Duration retireGrace;
  /** The generation being built, {@code null} when the runner writes the current one. */
  private Build build;
  /** Whether the current generation holds nothing to delete after the switch (new, or only read by edges). */
  private boolean currentIsEmpty;

  BuildBeside(ProjectionSettings settings, TopicSource source, NamespaceSink sink, ProjectionMetrics metrics,
      ProjectionStatus status, TopicChecks checks, Map<Integer, Long> stored, RunnerControl runner,
      Duration endOffsetsTimeout, Duration retireGrace) {
    this.settings = requireNonNull(settings, "settings");
    this.source = requireNonNull(source, "source");
    this.sink = requireNonNull(sink, "sink");
    this.metrics = requireNonNull(metrics, "metrics");
    this.status = requireNonNull(status, "status");
    this.checks = requireNonNull(checks, "checks");
    this.stored = requireNonNull(stored, "stored");
    this.runner = requireNonNull(runner, "runner");
    this.endOffsetsTimeout = requireNonNull(endOffsetsTimeout, "endOffsetsTimeout");
    this.retireGrace = requireNonNull(retireGrace, "retireGrace");
  }

  /** The generation being built, {@code null} when none is. */
  Build underWay() {
    return build;
  }

  /** Forgets the build under way, if any: the namespace is opened again. */
  void forget() {
    build = null;
  }

  /**
   * Opens the namespace: resumes the build under way, starts one when the namespace needs it, or resumes the
   * current generation from its {@code offsets}.
   */
  void open(Claim claim, SourceIdentity topic, Map<Integer, Long> offsets, Map<Integer, Long> ends) {
    checks.refuseRepartitioned(topic, claim.source());
    Map<Integer, Long> beginnings = source.beginningOffsets(endOffsetsTimeout);
    Claim.State state = claim.state();
    // created by this claim, or only read by edges so far (no owner, no edge writes): nothing to rebuild or delete
    currentIsEmpty = claim.created() || claim.owner().isEmpty() && !claim.edgeWrites();
    Build underWay = state.build();
    if (underWay != null && underWay.projectionVersion().equals(settings.version()) && !state.rebuildRequested()) {
      Map<Integer, Long> builtUpTo = sink.buildOffsets();
      String regression = TopicChecks.regression(topic, claim.source(), builtUpTo, ends, beginnings);
      if (regression == null) {
        build = underWay;
        runner.resumeAt(builtUpTo);
        LOG.info("projection {}: resuming the build of generation {} of namespace {} at offsets {}", settings.name(),
            build.generation(), sink.namespace(), new TreeMap<>(builtUpTo));
        return;
      }
      start(regression, true);
      return;
    }
    if (state.building() || claim.edgeWrites()) {
      start(claim.created() ? "it has no data yet (new, or Redis lost it)"
          : "it has no built generation yet (taken over from edges, or its first build was cut off)", false);
    } else if (RebuildReason.of(claim, settings) != null) {
      start(RebuildReason.of(claim, settings), false);
    } else {
      String regression = TopicChecks.regression(topic, claim.source(), offsets, ends, beginnings);
      if (regression != null) {
        start(regression, true);
      } else {
        runner.resumeAt(offsets);
      }
    }
  }

  /**
   * Starts building a new generation from the topic's start beside the current one, which edges keep reading
   * until the switch; a build under way is abandoned.
   *
   * @param regression whether the cause is an offset regression, which {@code on-offset-regression} governs
   */
  void start(String reason, boolean regression) {
    if (startAt(reason, regression, Map.of())) {
      source.seek(Map.of());
    }
  }

  /**
   * Starts the build without moving the source: the caller's position already is {@code from}.
   *
   * @return whether the build started (else the namespace is opened again)
   */
  boolean startAt(String reason, boolean regression, Map<Integer, Long> from) {
    checks.refuseRegression(reason, regression);
    Build next = Build.next(settings.version());
    long result = sink.startBuild(runner.generation(), next, from, retireGrace, runner.identity());
    if (result < 0) {
      LOG.info("projection {}: the build of {} was refused ({}); opening the namespace again", settings.name(),
          sink.namespace(), PendingBatch.describeRefusal(result));
      runner.refused(result);
      return false;
    }
    LOG.warn("projection {}: building generation {} of namespace {} beside the current one (key space {}) from"
        + " offsets {} of topic '{}', because {}; edges read the current generation until the switch", settings.name(),
        next.generation(), sink.namespace(), next.space(), new TreeMap<>(from), settings.topic(), reason);
    if (!currentIsEmpty) {
      // a namespace this claim created was counted when its loss was noticed, or is new
      metrics.rebuilt();
    }
    build = next;
    stored.clear();
    stored.putAll(from);
    return true;
  }

  /** Makes the build current once it reached the end offsets seen when it started; edges move over. */
  void switchOver() {
    runner.drain();
    if (runner.generation() == null || build == null) {
      return;
    }
    status.phase(Phase.SWITCHING);
    long result = sink.switchTo(runner.generation(), build, stored, currentIsEmpty ? null : retireGrace);
    if (result < 0) {
      LOG.info("projection {}: the switch of {} to generation {} was refused ({})", settings.name(), sink.namespace(),
          build.generation(), PendingBatch.describeRefusal(result));
      runner.refused(result);
      return;
    }
    LOG.info("projection {}: switched namespace {} to generation {} (key space {}, projection version {}); edges move"
        + " over now, the old key space is deleted after {} s; following live changes", settings.name(),
        sink.namespace(), build.generation(), build.space(), build.projectionVersion(), retireGrace.toSeconds());
    metrics.built();
    runner.generation(build.generation());
    build = null;
    currentIsEmpty = false;
    status.phase(Phase.LIVE);
  }
}
