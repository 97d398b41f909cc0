package io.distcache.producer;

import static java.util.Objects.requireNonNull;

import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.producer.sink.Build;
import io.distcache.producer.sink.Claim;
import io.distcache.producer.sink.PendingBatch;
import io.distcache.producer.source.SourceIdentity;
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

  private final RunnerContext context;
  /** The generation being built, {@code null} when the runner writes the current one. */
  private Build build;
  /** Whether the current generation holds nothing to delete after the switch (new, or only read by edges). */
  private boolean currentIsEmpty;

  BuildBeside(RunnerContext context) {
    this.context = requireNonNull(context, "context");
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
    context.checks().refuseRepartitioned(topic, claim.source());
    Map<Integer, Long> beginnings = context.source().beginningOffsets(context.endOffsetsTimeout());
    Claim.State state = claim.state();
    // created by this claim, or only read by edges so far (no owner, no edge writes): nothing to rebuild or delete
    currentIsEmpty = claim.created() || claim.owner().isEmpty() && !claim.edgeWrites();
    Build underWay = state.build();
    if (underWay != null && underWay.projectionVersion().equals(context.settings().version())
        && !state.rebuildRequested()) {
      Map<Integer, Long> builtUpTo = context.sink().buildOffsets();
      String regression = TopicChecks.regression(topic, claim.source(), builtUpTo, ends, beginnings);
      if (regression == null) {
        build = underWay;
        context.runner().resumeAt(builtUpTo);
        LOG.info("projection {}: resuming the build of generation {} of namespace {} at offsets {}",
            context.settings().name(), build.generation(), context.sink().namespace(), new TreeMap<>(builtUpTo));
        return;
      }
      start(regression, true);
      return;
    }
    if (state.building() || claim.edgeWrites()) {
      start(claim.created() ? "it has no data yet (new, or Redis lost it)"
          : "it has no built generation yet (taken over from edges, or its first build was cut off)", false);
    } else if (RebuildReason.of(claim, context.settings()) != null) {
      start(RebuildReason.of(claim, context.settings()), false);
    } else {
      String regression = TopicChecks.regression(topic, claim.source(), offsets, ends, beginnings);
      if (regression != null) {
        start(regression, true);
      } else {
        context.runner().resumeAt(offsets);
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
      context.source().seek(Map.of());
    }
  }

  /**
   * Starts the build without moving the source: the caller's position already is {@code from}.
   *
   * @return whether the build started (else the namespace is opened again)
   */
  boolean startAt(String reason, boolean regression, Map<Integer, Long> from) {
    context.checks().refuseRegression(reason, regression);
    Build next = Build.next(context.settings().version());
    long result = context.sink().startBuild(context.runner().generation(), next, from, context.retireGrace(),
        context.runner().identity());
    if (result < 0) {
      LOG.info("projection {}: the build of {} was refused ({}); opening the namespace again",
          context.settings().name(), context.sink().namespace(), PendingBatch.describeRefusal(result));
      context.runner().refused(result);
      return false;
    }
    LOG.warn("projection {}: building generation {} of namespace {} beside the current one (key space {}) from"
        + " offsets {} of topic '{}', because {}; edges read the current generation until the switch",
        context.settings().name(), next.generation(), context.sink().namespace(), next.space(), new TreeMap<>(from),
        context.settings().topic(), reason);
    if (!currentIsEmpty) {
      // a namespace this claim created was counted when its loss was noticed, or is new
      context.metrics().rebuilt();
    }
    build = next;
    context.stored().clear();
    context.stored().putAll(from);
    return true;
  }

  /** Makes the build current once it reached the end offsets seen when it started; edges move over. */
  void switchOver() {
    context.runner().drain();
    if (context.runner().generation() == null || build == null) {
      return;
    }
    context.status().phase(Phase.SWITCHING);
    long result = context.sink().switchTo(context.runner().generation(), build, context.stored(),
        currentIsEmpty ? null : context.retireGrace());
    if (result < 0) {
      LOG.info("projection {}: the switch of {} to generation {} was refused ({})", context.settings().name(),
          context.sink().namespace(), build.generation(), PendingBatch.describeRefusal(result));
      context.runner().refused(result);
      return;
    }
    LOG.info("projection {}: switched namespace {} to generation {} (key space {}, projection version {}); edges move"
        + " over now, the old key space is deleted after {} s; following live changes", context.settings().name(),
        context.sink().namespace(), build.generation(), build.space(), build.projectionVersion(),
        context.retireGrace().toSeconds());
    context.metrics().built();
    context.runner().generation(build.generation());
    build = null;
    currentIsEmpty = false;
    context.status().phase(Phase.LIVE);
  }
}
