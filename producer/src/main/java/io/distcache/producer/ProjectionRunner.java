package io.distcache.producer;

import io.distcache.jcache.codec.ValueCodec;
import io.distcache.jcache.sabotage.Sabotage;
import io.distcache.producer.RecordProjector.Outcome;
import io.distcache.producer.config.ProducerConfigurationException;
import io.distcache.producer.ops.BackloadProgress;
import io.distcache.producer.ops.ProjectionMetrics;
import io.distcache.producer.ops.ProjectionStatus;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.producer.projection.OffsetRegressionPolicy;
import io.distcache.producer.projection.Projection;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.RejectedRecordException;
import io.distcache.producer.projection.SourceRecord;
import io.distcache.producer.sink.Build;
import io.distcache.producer.sink.Claim;
import io.distcache.producer.sink.EntryWrite;
import io.distcache.producer.sink.EvictionCheck;
import io.distcache.producer.sink.NamespaceSink;
import io.distcache.producer.sink.OffsetMove;
import io.distcache.producer.sink.PendingBatch;
import io.distcache.producer.sink.SinkUnavailableException;
import io.distcache.producer.source.DeadLetters;
import io.distcache.producer.source.SourceIdentity;
import io.distcache.producer.source.TopicSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one projection on its own thread: source → projection → sink, batch after batch.
 *
 * <p>Start: assign all partitions and claim the namespace ({@link NamespaceSink#claim}); while another
 * instance holds the claim this one is a standby and retries. In a consumer group ({@code group}) the members
 * share the claim and write the partitions the group gives each, fenced per partition (see
 * {@link NamespaceSink#own}); a group rebuilds into a fresh key space instead of beside the current one. A namespace without a generation gets a new
 * one and is backloaded from offset 0, else the runner resumes from the offsets in its meta hash. Each
 * batch's next offsets are stored only with or after its data, so a crash replays instead of skipping.
 * The claim is renewed every quarter of the claim time; losing it (another instance took over after this
 * one was silent) makes this one a standby.
 *
 * <p>When Redis answers that the generation is gone or different (FLUSHALL, failover to an empty node),
 * the runner reopens the namespace and reads again from the offsets recorded there, from 0 if none. When
 * the stored offsets no longer describe the topic (re-created, re-partitioned, truncated by an unclean
 * leader election) it rebuilds the namespace from the topic's start, or stops if told to. Any Redis or
 * Kafka failure reopens after a backoff: nothing is lost, nothing crash-loops.
 *
 * <p>On a standalone or Sentinel master every build from the topic's start (a new namespace, one that lost
 * its data, a changed projection version, an operator's {@code rebuild}, an offset regression) loads a new
 * generation beside the current one, which edges keep reading, bulk-loaded up to the end offsets seen when
 * it started, and then switches it in with one script (docs/producer.md, "Rebuilds"). A build resumes from
 * its own stored offsets after a crash. On Redis Cluster namespaces are rebuilt in place.
 */
public final class ProjectionRunner implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long LAG_CHECK_NANOS = 5_000_000_000L;
  private static final Duration END_OFFSETS_TIMEOUT = Duration.ofSeconds(5);
  private static final long STANDBY_POLL_MILLIS = 100;
  private static final String VALUE_TYPE = "java.util.Map";
  /** How long edges may go on reading a key space after a switch (those that have not learnt of it yet). */
  static final Duration RETIRE_GRACE = Duration.ofSeconds(10);
  /** Pages of a retired key space deleted per idle poll: about 50 ms of work. */
  private static final int RETIRE_PAGES_PER_IDLE_POLL = 50;

  private final ProjectionSettings settings;
  private final RecordProjector projector;
  private final TopicSource source;
  private final NamespaceSink sink;
  private final DeadLetters deadLetters;
  private final ProjectionMetrics metrics;
  private final ProjectionStatus status;
  private final EvictionCheck evictionCheck;
  private final Duration claimTime;
  private final long claimRenewalNanos;
  private final String owner;
  private final Backoff backoff = new Backoff();
  private volatile boolean stopping;
  private String generation;
  private SourceIdentity identity;
  private Map<Integer, Long> stored = new HashMap<>();
  private PendingBatch inFlight;
  /** The generation being built beside the current one, {@code null} when writing the current one. */
  private Build build;
  /** Whether the current generation holds nothing to delete after the build's switch (new, or only read by edges). */
  private boolean currentIsEmpty;
  private BackloadProgress progress;
  private long standbyMillis;
  private long nextClaim;
  private long nextLagCheck;
  /** In a consumer group: whether the source subscribed to the topic. */
  private boolean subscribed;
  /** In a consumer group: the partitions a rebalance gave this member that it has not recorded in Redis yet. */
  private final Set<TopicPartition> toTake = new HashSet<>();
  /** A failure inside a rebalance callback, rethrown after the poll that ran it (Kafka would wrap it). */
  private RuntimeException rebalanceFailure;

  /**
   * Wires a projection; {@link #run()} does the work.
   *
   * @param claimTime how long this instance's claim on the namespace holds unless renewed
   */
  public ProjectionRunner(ProjectionSettings settings, Projection projection, TopicSource source, NamespaceSink sink,
      DeadLetters deadLetters, ValueCodec codec, ProjectionMetrics metrics, ProjectionStatus status,
      EvictionCheck evictionCheck, Duration claimTime) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.projector = new RecordProjector(settings, projection, codec);
    this.source = Objects.requireNonNull(source, "source");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.status = Objects.requireNonNull(status, "status");
    this.evictionCheck = Objects.requireNonNull(evictionCheck, "evictionCheck");
    this.claimTime = Objects.requireNonNull(claimTime, "claimTime");
    this.claimRenewalNanos = claimTime.toNanos() / 4;
    this.owner = "producer:" + settings.topic();
    metrics.phases(status);
  }

  /** Processes batches until {@link #stop()}; the batch in flight is finished first. */
  @Override
  public void run() {
    try {
      while (!stopping && !Thread.currentThread().isInterrupted()) {
        status.beat();
        try {
          if (generation == null) {
            if (!open()) {
              standBy();
            }
            continue;
          }
          step();
          backoff.reset();
        } catch (SinkUnavailableException e) {
          status.redisError(e.getMessage());
          retryLater("Redis", e);
        } catch (KafkaException e) {
          status.kafkaError(e.getMessage());
          retryLater("Kafka", e);
        }
      }
      finishLastBatch();
    } catch (ProjectionRefusedException | ProducerConfigurationException e) {
      LOG.error("projection {} stopped: {}", settings.name(), e.getMessage());
      status.failed(e.getMessage());
    } catch (RuntimeException | Error e) {
      // /health/live reports it, so the process gets restarted
      LOG.error("projection {} stopped on an unexpected error", settings.name(), e);
      status.failed("unexpected " + e);
    } finally {
      if (status.phase() != Phase.FAILED) {
        status.phase(Phase.STOPPED);
      }
      closeQuietly();
    }
  }

  private void retryLater(String system, RuntimeException e) {
    LOG.warn("projection {}: {} failed: {}; replaying from the stored offsets in {} ms", settings.name(), system,
        e.getMessage(), backoff.nextMillis());
    // the consumer may be ahead of what Redis holds: read the stored offsets again and seek
    reopen();
    backoff.pause();
  }

  private void finishLastBatch() {
    try {
      if (generation != null) {
        drain();
      }
      if (generation != null) {
        LOG.info("projection {}: stopped with every batch confirmed; next offsets {} stored in {}", settings.name(),
            new TreeMap<>(stored), sink.namespace());
      }
    } catch (RuntimeException e) {
      LOG.warn("projection {}: the last batch was not confirmed ({}); it is replayed on the next start",
          settings.name(), e.getMessage());
    }
    try {
      // whatever state this instance stopped in, a standby may take over at once (only this token is released)
      sink.release();
    } catch (RuntimeException e) {
      LOG.info("projection {}: the claim on {} could not be given up ({}); it lapses after {}", settings.name(),
          sink.namespace(), e.getMessage(), claimTime);
    }
  }

  /** Asks the loop to end after the batch in flight. */
  public void stop() {
    stopping = true;
  }

  /** The projection's status, for {@code /health}. */
  public ProjectionStatus status() {
    return status;
  }

  /** Claims the namespace and positions the source; {@code false} when another instance holds the claim. */
  private boolean open() {
    if (status.phase() != Phase.STANDBY) {
      status.phase(Phase.STARTING);
    }
    if (!source.grouped()) {
      source.assignAll();
    } else if (!subscribed) {
      source.subscribe(new Rebalances());
      subscribed = true;
    }
    SourceIdentity topic = source.identity();
    status.kafkaError(null);
    evictionCheck.verify();
    sink.loadScripts();
    Claim claim = sink.claim(claimTime, newGeneration(), owner, VALUE_TYPE, topic);
    status.redisError(null);
    if (claim.ownedByAnother()) {
      throw new ProjectionRefusedException("namespace " + sink.namespace() + " is written by '" + claim.owner()
          + "', not by this projection of topic '" + settings.topic() + "'; two projections cannot share a namespace:"
          + " give projection[" + settings.name() + "].namespace another name");
    }
    if (!claim.held()) {
      if (status.phase() != Phase.STANDBY) {
        LOG.info("projection {}: namespace {} is written by another producer instance; standing by (its claim runs"
            + " {} ms more unless renewed)", settings.name(), sink.namespace(), claim.heldElsewhereMillis());
        status.phase(Phase.STANDBY);
      }
      standbyMillis = claim.heldElsewhereMillis();
      status.partitions(List.of());
      metrics.owned(List.of());
      return false;
    }
    generation = claim.generation();
    identity = topic;
    build = null;
    nextClaim = System.nanoTime() + claimRenewalNanos;
    if (source.grouped()) {
      openInGroup(claim, topic);
      return true;
    }
    Map<Integer, Long> offsets = sink.offsets();
    Map<Integer, Long> ends = source.endOffsets(END_OFFSETS_TIMEOUT);
    String rebuildReason = RebuildReason.of(claim, settings);
    if (sink.buildsBeside()) {
      openBeside(claim, topic, offsets, ends);
    } else if (rebuildReason != null) {
      rebuildFromStart(rebuildReason, false);
    } else {
      refuseRepartitioned(topic, claim.source());
      String regression = regression(topic, claim.source(), offsets, ends,
          source.beginningOffsets(END_OFFSETS_TIMEOUT));
      if (regression != null) {
        rebuildFromStart(regression, true);
      } else {
        resumeAt(offsets);
      }
    }
    if (generation != null) {
      track(ends);
    }
    List<Integer> all = source.partitions().stream().map(TopicPartition::partition).toList();
    status.partitions(all);
    metrics.owned(all);
    return true;
  }

  /**
   * Opens the namespace as a member of a consumer group: rebuilds it when it needs that, then owns the partitions
   * the group gave this member. Members share the claim, so each checks what concerns the whole namespace; a
   * rebuild is fenced on the generation, so only the first to start one does.
   */
  private void openInGroup(Claim claim, SourceIdentity topic) {
    refuseRepartitioned(topic, claim.source());
    stored = new HashMap<>();
    String rebuildReason = RebuildReason.of(claim, settings);
    String recreated = topic.recreatedSince(claim.source());
    if (rebuildReason != null) {
      rebuildInGroup(rebuildReason, false);
    } else if (claim.state().build() != null || claim.state().building()) {
      // a group rebuild cut off between its two scripts, or a build beside that a single writer left
      rebuildInGroup("a rebuild was cut off before its switch", false);
    } else if (recreated != null) {
      rebuildInGroup(recreated, true);
    } else {
      ownAssigned(true);
    }
  }

  /**
   * Owns what the group assigned: takes the partitions a rebalance gave and, with {@code keep} (after the namespace
   * was opened again), keeps the others this member owns; each resumes from its stored offset. Partitions held
   * because another member owns them in Redis wait for the rebalance that settles it.
   */
  private void ownAssigned(boolean keep) {
    List<TopicPartition> assigned = source.partitions();
    toTake.retainAll(assigned);
    Set<TopicPartition> held = source.held();
    List<TopicPartition> taken = List.copyOf(toTake);
    List<TopicPartition> kept = keep
        ? assigned.stream().filter(p -> !toTake.contains(p) && !held.contains(p)).toList() : List.of();
    if (!own(taken, true) || !own(kept, false)) {
      return;
    }
    toTake.clear();
    showOwned();
    if (keep || !taken.isEmpty()) {
      track(source.endOffsets(END_OFFSETS_TIMEOUT));
    }
  }

  private void showOwned() {
    List<Integer> owned = List.copyOf(sink.owned());
    status.partitions(owned);
    metrics.owned(owned);
  }

  /** Records this member as the owner of {@code partitions} and seeks them; {@code false} when Redis refused. */
  private boolean own(List<TopicPartition> partitions, boolean taken) {
    if (partitions.isEmpty()) {
      return true;
    }
    NamespaceSink.Ownership ownership = sink.own(generation, partitions.stream().map(TopicPartition::partition)
        .toList(), taken, source.groupGeneration());
    if (ownership.refusal() < 0) {
      LOG.info("projection {}: owning partitions {} of {} was refused ({})", settings.name(), partitions,
          sink.namespace(), refusal(ownership.refusal()));
      refused(ownership.refusal());
      return false;
    }
    List<TopicPartition> lost = partitions.stream().filter(p -> ownership.lost().contains(p.partition())).toList();
    List<TopicPartition> owned = partitions.stream().filter(p -> !ownership.lost().contains(p.partition())).toList();
    Map<Integer, Long> offsets = new HashMap<>();
    ownership.offsets().forEach((partition, next) -> {
      if (next == null) {
        stored.remove(partition);
      } else {
        stored.put(partition, next);
        offsets.put(partition, next);
      }
    });
    lost.forEach(partition -> stored.remove(partition.partition()));
    String regression = regression(identity, identity, offsets, source.endOffsets(END_OFFSETS_TIMEOUT),
        source.beginningOffsets(END_OFFSETS_TIMEOUT));
    if (regression != null) {
      rebuildInGroup(regression, true);
      return false;
    }
    if (!lost.isEmpty()) {
      LOG.warn("projection {}: another member of group {} owns partitions {} of {} now (this one was cut off from the"
          + " group, e.g. paused through a rebalance); it writes none of them unless a rebalance gives them back",
          settings.name(), settings.group(), lost, sink.namespace());
      source.holdForRebalance(lost);
    }
    source.resume(owned);
    source.seek(owned, Sabotage.REPLAY_FROM_START.isActive() ? Map.of() : offsets);
    if (taken) {
      LOG.info("projection {}: owns partitions {} of {} now, resuming at {}", settings.name(), owned,
          sink.namespace(), new TreeMap<>(offsets));
    }
    return true;
  }

  /**
   * Rebuilds the namespace of a consumer group from the topic's start: one script pair switches it to a new, empty
   * generation in a key space of its own, which edges read as it fills, and retires the old space. A build beside
   * the current generation needs one writer of every partition; here every member, refused on the old generation,
   * reads its partitions again into the new one.
   */
  private void rebuildInGroup(String reason, boolean regression) {
    refuseRegression(reason, regression);
    Build fresh = Build.next(settings.version());
    long result = sink.startBuild(generation, fresh, Map.of(), RETIRE_GRACE, identity);
    if (result == 0) {
      result = sink.switchTo(generation, fresh, Map.of(), RETIRE_GRACE);
    }
    if (result < 0) {
      LOG.info("projection {}: the rebuild of {} was refused ({}); opening the namespace again", settings.name(),
          sink.namespace(), refusal(result));
      refused(result);
      return;
    }
    LOG.warn("projection {}: rebuilt namespace {} from the start of topic '{}' because {}: every member of group {}"
        + " reads its partitions again into generation {} (key space {})", settings.name(), sink.namespace(),
        settings.topic(), reason, settings.group(), fresh.generation(), fresh.space());
    metrics.rebuilt();
    generation = fresh.generation();
    stored = new HashMap<>();
    ownAssigned(true);
  }

  /**
   * Keeps Redis's record of partition owners in step with the group's rebalances. Callbacks run on this thread,
   * inside {@link TopicSource#poll}; what fails in one is rethrown after that poll ({@link #rethrowRebalanceFailure}).
   */
  private final class Rebalances implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      try {
        // the batches of these partitions land before their next owner reads the stored offsets
        if (generation != null) {
          drain();
        }
      } catch (RuntimeException e) {
        rebalanceFailure = e;
      } finally {
        forget(partitions);
      }
      LOG.info("projection {}: gave partitions {} of {} back to group {}", settings.name(), partitions,
          sink.namespace(), settings.group());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // this member was cut off: another may own them already, and its owner token refuses what is in flight here
      inFlight = null;
      forget(partitions);
      LOG.warn("projection {}: lost partitions {} of {} (cut off from group {} for longer than its session timeout)",
          settings.name(), partitions, sink.namespace(), settings.group());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      toTake.addAll(partitions);
      // the end of every rebalance also confirms the partitions held for one: this member owns them now
      toTake.addAll(source.held());
      try {
        if (generation != null) {
          // the offsets of the partitions taken are read after this member's own batches landed
          drain();
        }
        if (generation != null) {
          ownAssigned(false);
        }
      } catch (RuntimeException e) {
        rebalanceFailure = e;
      }
    }

    private void forget(Collection<TopicPartition> partitions) {
      List<Integer> numbers = partitions.stream().map(TopicPartition::partition).toList();
      sink.disown(numbers);
      numbers.forEach(stored::remove);
      toTake.removeAll(partitions);
      showOwned();
    }
  }

  /** Throws what failed in a rebalance callback during the last poll, as it would have failed outside one. */
  private void rethrowRebalanceFailure() {
    RuntimeException failure = rebalanceFailure;
    rebalanceFailure = null;
    if (failure != null) {
      throw failure;
    }
  }

  private void resumeAt(Map<Integer, Long> offsets) {
    Map<Integer, Long> resumeAt = Sabotage.REPLAY_FROM_START.isActive() ? Map.of() : offsets;
    stored = new HashMap<>(resumeAt);
    source.seek(resumeAt);
  }

  /**
   * Opens a namespace that is built beside its current generation: resumes the build under way, starts one
   * when the namespace needs it, or resumes the current generation from its offsets.
   */
  private void openBeside(Claim claim, SourceIdentity topic, Map<Integer, Long> offsets, Map<Integer, Long> ends) {
    refuseRepartitioned(topic, claim.source());
    Map<Integer, Long> beginnings = source.beginningOffsets(END_OFFSETS_TIMEOUT);
    Claim.State state = claim.state();
    // created by this claim, or only read by edges so far (no owner, no edge writes): nothing to rebuild or delete
    currentIsEmpty = claim.created() || claim.owner().isEmpty() && !claim.edgeWrites();
    Build underWay = state.build();
    if (underWay != null && underWay.projectionVersion().equals(settings.version()) && !state.rebuildRequested()) {
      Map<Integer, Long> builtUpTo = sink.buildOffsets();
      String regression = regression(topic, claim.source(), builtUpTo, ends, beginnings);
      if (regression == null) {
        build = underWay;
        resumeAt(builtUpTo);
        LOG.info("projection {}: resuming the build of generation {} of namespace {} at offsets {}", settings.name(),
            build.generation(), sink.namespace(), new TreeMap<>(builtUpTo));
        return;
      }
      startBuild(regression, true);
      return;
    }
    if (state.building() || claim.edgeWrites()) {
      startBuild(claim.created() ? "it has no data yet (new, or Redis lost it)"
          : "it has no built generation yet (taken over from edges, or its first build was cut off)", false);
    } else if (RebuildReason.of(claim, settings) != null) {
      startBuild(RebuildReason.of(claim, settings), false);
    } else {
      String regression = regression(topic, claim.source(), offsets, ends, beginnings);
      if (regression != null) {
        startBuild(regression, true);
      } else {
        resumeAt(offsets);
      }
    }
  }

  /**
   * Starts building a new generation from the topic's start beside the current one, which edges keep reading
   * until the switch; a build under way is abandoned.
   *
   * @param regression whether the cause is an offset regression, which {@code on-offset-regression} governs
   */
  private void startBuild(String reason, boolean regression) {
    startBuild(reason, regression, Map.of());
  }

  private void startBuild(String reason, boolean regression, Map<Integer, Long> from) {
    if (startBuildAt(reason, regression, from)) {
      source.seek(from);
    }
  }

  /**
   * Starts the build without moving the source: the caller's position already is {@code from}.
   *
   * @return whether the build started (else the namespace is opened again)
   */
  private boolean startBuildAt(String reason, boolean regression, Map<Integer, Long> from) {
    refuseRegression(reason, regression);
    Build next = Build.next(settings.version());
    long result = sink.startBuild(generation, next, from, RETIRE_GRACE, identity);
    if (result < 0) {
      LOG.info("projection {}: the build of {} was refused ({}); opening the namespace again", settings.name(),
          sink.namespace(), refusal(result));
      refused(result);
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
    stored = new HashMap<>(from);
    return true;
  }

  /** Makes the build current once it reached the end offsets seen when it started; edges move over. */
  private void switchToBuild() {
    drain();
    if (generation == null || build == null) {
      return;
    }
    status.phase(Phase.SWITCHING);
    long result = sink.switchTo(generation, build, stored, currentIsEmpty ? null : RETIRE_GRACE);
    if (result < 0) {
      LOG.info("projection {}: the switch of {} to generation {} was refused ({})", settings.name(), sink.namespace(),
          build.generation(), refusal(result));
      refused(result);
      return;
    }
    LOG.info("projection {}: switched namespace {} to generation {} (key space {}, projection version {}); edges move"
        + " over now, the old key space is deleted after {} s; following live changes", settings.name(),
        sink.namespace(), build.generation(), build.space(), build.projectionVersion(), RETIRE_GRACE.toSeconds());
    metrics.built();
    generation = build.generation();
    build = null;
    currentIsEmpty = false;
    status.phase(Phase.LIVE);
  }

  /** Starts the backload's progress from the source's positions, or goes live when there is nothing to load. */
  private void track(Map<Integer, Long> ends) {
    Map<Integer, Long> starts = source.positions();
    progress = new BackloadProgress(settings.name(), build == null ? "backload" : "build", starts, ends);
    status.progress(progress);
    metrics.progress(progress);
    LOG.info("projection {}: {} → {} (generation {}{}), starting at {} of end offsets {}", settings.name(),
        settings.topic(), sink.namespace(), generation, build == null ? "" : ", building " + build.generation(), starts,
        ends);
    if (build == null) {
      status.phase(progress.reached(starts) ? Phase.LIVE : Phase.BACKLOAD);
    } else {
      status.phase(Phase.BUILDING);
      if (progress.reached(starts)) {
        switchToBuild();
      }
    }
  }

  /** Waits while another instance holds the claim, no longer than its claim runs, and stays responsive to stop. */
  private void standBy() {
    long until = System.nanoTime() + Math.max(STANDBY_POLL_MILLIS, Math.min(standbyMillis, claimTime.toMillis() / 4))
        * 1_000_000L;
    try {
      while (!stopping && System.nanoTime() < until) {
        Thread.sleep(STANDBY_POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Why the stored offsets no longer describe the topic, or {@code null} when they do.
   *
   * @param now the topic as Kafka describes it
   * @param recorded the topic as the namespace recorded it
   */
  private static String regression(SourceIdentity now, SourceIdentity recorded, Map<Integer, Long> offsets,
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
  private void refuseRepartitioned(SourceIdentity now, SourceIdentity recorded) {
    if (now.repartitionedSince(recorded)) {
      throw new ProjectionRefusedException("topic '" + settings.topic() + "' now has " + now.partitions()
          + " partitions, not the " + recorded.partitions() + " namespace " + sink.namespace() + " was built from:"
          + " keys moved to other partitions, whose offsets cannot order a key's records, so neither going on nor"
          + " rebuilding gives every key its latest value. Re-create the topic with the new partition count and"
          + " publish the rows again (the producer then rebuilds the namespace on its own)");
    }
  }

  /**
   * Empties the namespace under a new generation and reads the topic from its start.
   *
   * @param regression whether the cause is an offset regression, which {@code on-offset-regression} governs
   */
  private void rebuildFromStart(String reason, boolean regression) {
    if (source.grouped()) {
      rebuildInGroup(reason, regression);
      return;
    }
    if (sink.buildsBeside()) {
      startBuild(reason, regression);
      return;
    }
    refuseRegression(reason, regression);
    LOG.warn("projection {}: rebuilding namespace {} from the start of topic '{}' because {}", settings.name(),
        sink.namespace(), settings.topic(), reason);
    String next = newGeneration();
    long result = sink.rebuild(generation, next, identity);
    if (result < 0) {
      LOG.info("projection {}: the rebuild of {} was refused ({}); opening the namespace again in {} ms",
          settings.name(), sink.namespace(), refusal(result), backoff.nextMillis());
      reopen();
      backoff.pause();
      return;
    }
    metrics.rebuilt();
    sink.rebuiltInPlace(settings.version());
    generation = next;
    stored = new HashMap<>();
    source.seek(Map.of());
  }

  private void refuseRegression(String reason, boolean regression) {
    if (regression && settings.onOffsetRegression() == OffsetRegressionPolicy.FAIL) {
      throw new ProjectionRefusedException("the offsets stored in namespace " + sink.namespace() + " no longer match"
          + " topic '" + settings.topic() + "': " + reason + "; projection[" + settings.name() + "].on-offset-regression"
          + " = fail, so the namespace is left as it is. Rebuild it (on-offset-regression = rebuild) or restore the"
          + " topic");
    }
  }

  private static String newGeneration() {
    return UUID.randomUUID().toString();
  }

  private void step() {
    long now = System.nanoTime();
    if (now >= nextClaim && !renewClaim(now)) {
      return;
    }
    if (now >= nextLagCheck && !checkSource(now)) {
      return;
    }
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = source.poll(POLL);
      rethrowRebalanceFailure();
    } catch (InvalidOffsetException e) {
      drain();
      if (generation != null) {
        rebuildFromStart("Kafka no longer has the stored offsets of partitions " + e.partitions() + " ("
            + e.getMessage() + ")", true);
      }
      if (generation != null) {
        track(source.endOffsets(END_OFFSETS_TIMEOUT));
      }
      return;
    }
    if (generation == null) {
      // a rebalance callback of this poll found the namespace changed: it is opened again first
      return;
    }
    if (records.isEmpty()) {
      drain();
      trackBackload(0);
      retireOldSpaces();
      return;
    }
    List<EntryWrite> writes = new ArrayList<>(records.count());
    Map<Integer, Long> nextOffsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> polled : records) {
      SourceRecord record = new SourceRecord(polled.topic(), polled.partition(), polled.offset(), polled.key(),
          polled.value());
      Long expected = stored.get(record.partition());
      if (expected != null && record.offset() < expected) {
        drain();
        if (generation != null) {
          rebuildFromStart("partition " + record.partition() + " returned offset " + record.offset()
              + ", below the stored next offset " + expected + " (Kafka reset the position: the log was truncated or"
              + " re-created)", true);
        }
        if (generation != null) {
          track(source.endOffsets(END_OFFSETS_TIMEOUT));
        }
        return;
      }
      Outcome outcome = projector.outcome(record);
      if (outcome instanceof Outcome.Clear) {
        dispatch(writes, nextOffsets);
        drain();
        if (generation == null || !truncate(record)) {
          return;
        }
        writes = new ArrayList<>();
        nextOffsets = new HashMap<>();
        continue;
      }
      if (outcome instanceof Outcome.Write write) {
        writes.add(write.write());
      } else if (outcome instanceof Outcome.Rejected rejected) {
        reject(record, rejected.reason());
      }
      nextOffsets.put(record.partition(), record.offset() + 1);
    }
    dispatch(writes, nextOffsets);
    trackBackload(records.count());
  }

  /** Renews the claim and checks the generation; {@code false} when this instance must reopen. */
  private boolean renewClaim(long now) {
    nextClaim = now + claimRenewalNanos;
    Claim claim = sink.claim(claimTime, newGeneration(), owner, VALUE_TYPE, identity);
    status.redisError(null);
    if (!claim.held()) {
      LOG.warn("projection {}: another producer instance claimed namespace {} (this one was silent for longer than"
          + " the claim time); standing by", settings.name(), sink.namespace());
      reopen();
      return false;
    }
    if (!generation.equals(claim.generation())) {
      rebuild();
      return false;
    }
    if (claim.state().rebuildRequested()) {
      drain();
      if (generation != null) {
        rebuildFromStart("an operator asked for it (rebuild command)", false);
      }
      if (generation != null) {
        track(source.endOffsets(END_OFFSETS_TIMEOUT));
      }
      return false;
    }
    return true;
  }

  /** Lags, end offsets and the topic's identity; {@code false} when the namespace was rebuilt or must reopen. */
  private boolean checkSource(long now) {
    nextLagCheck = now + LAG_CHECK_NANOS;
    // on a topic that is never quiet, old key spaces still go
    retireOldSpaces();
    metrics.lags(source.lags());
    Map<Integer, Long> ends = source.endOffsets(END_OFFSETS_TIMEOUT);
    SourceIdentity topic = source.identity();
    status.kafkaError(null);
    refuseRepartitioned(topic, identity);
    // the log start is checked at open and by the consumer (no offset reset): not every few seconds here
    String regression = regression(topic, identity, stored, ends, Map.of());
    if (regression == null) {
      return true;
    }
    drain();
    if (generation != null) {
      identity = topic;
      if (!source.grouped()) {
        source.assignAll();
      }
      rebuildFromStart(regression, true);
    }
    if (generation != null) {
      track(source.endOffsets(END_OFFSETS_TIMEOUT));
    }
    return false;
  }

  private void reject(SourceRecord record, RejectedRecordException e) {
    deadLetters.send(record, e);
    metrics.rejected(e.reason());
  }

  /**
   * Sends a batch, then waits for the previous one: Redis applies batch N while this thread projects
   * batch N+1. Batches on one connection apply in order, and each names the stored offsets it starts
   * from, so a lost batch makes the following ones refuse instead of skipping records.
   */
  private void dispatch(List<EntryWrite> writes, Map<Integer, Long> nextOffsets) {
    if (nextOffsets.isEmpty()) {
      return;
    }
    // dead letters first: the offsets stored with this batch cover the rejected records too
    deadLetters.flush();
    Map<Integer, OffsetMove> moves = new HashMap<>();
    nextOffsets.forEach((partition, next) -> moves.put(partition, new OffsetMove(stored.get(partition), next)));
    stored.putAll(nextOffsets);
    PendingBatch previous = inFlight;
    inFlight = sink.send(writes, moves, generation, build);
    if (previous != null) {
      finish(previous);
    }
  }

  /** Waits for the batch in flight, if any. */
  private void drain() {
    PendingBatch last = inFlight;
    inFlight = null;
    if (last != null) {
      finish(last);
    }
  }

  private void finish(PendingBatch batch) {
    long written = batch.await();
    if (written < 0) {
      refused(written);
      return;
    }
    status.redisError(null);
    metrics.batch(written, batch.size() - written, Duration.ofNanos(System.nanoTime() - batch.sentNanos()));
    Map<Integer, Long> applied = new HashMap<>();
    batch.moves().forEach((partition, move) -> applied.put(partition, move.next()));
    metrics.applied(applied);
  }

  /** Reacts to a fence's refusal: every one means reading the namespace again; only the log line differs. */
  private void refused(long code) {
    if (code == PendingBatch.GENERATION_CHANGED) {
      rebuild();
      return;
    }
    if (code == PendingBatch.FENCED) {
      LOG.warn("projection {}: another producer instance claimed namespace {}; this one stops writing and stands by",
          settings.name(), sink.namespace());
    } else {
      LOG.info("projection {}: the offsets stored in {} are not where this instance's batch started (a batch or"
          + " chunk lost in a Redis failure); reading from the stored offsets again", settings.name(), sink.namespace());
    }
    reopen();
  }

  private static String refusal(long code) {
    return code == PendingBatch.GENERATION_CHANGED ? "the generation changed"
        : code == PendingBatch.FENCED ? "another instance claimed the namespace" : "the stored offsets moved";
  }

  /**
   * Clears the namespace for a Debezium truncate; {@code false} when Redis refused it (the caller returns,
   * and the namespace is opened again).
   */
  private boolean truncate(SourceRecord record) {
    if (build != null) {
      // everything loaded so far goes; the build starts again, empty, right after the truncate, where the
      // rest of this poll goes on
      Map<Integer, Long> from = new HashMap<>(stored);
      from.put(record.partition(), record.offset() + 1);
      return startBuildAt("a Debezium truncate at " + record + " while it was being built", false, from);
    }
    String next = newGeneration();
    OffsetMove move = new OffsetMove(stored.get(record.partition()), record.offset() + 1);
    long result = sink.truncate(generation, move, record.partition(), next);
    if (result < 0) {
      LOG.info("projection {}: the truncate at {} was refused ({})", settings.name(), record, refusal(result));
      refused(result);
      return false;
    }
    generation = next;
    stored.put(record.partition(), record.offset() + 1);
    LOG.warn("projection {}: Debezium truncate at {} cleared namespace {} (new generation {})", settings.name(),
        record, sink.namespace(), next);
    return true;
  }

  private void rebuild() {
    LOG.warn("projection {}: namespace {} lost generation {} (FLUSHALL, failover to an empty node, or a rebuild);"
        + " reopening and reading the topic again", settings.name(), sink.namespace(), generation);
    metrics.rebuilt();
    reopen();
  }

  /** Forgets everything not confirmed by Redis; the next step reopens from the stored offsets. */
  private void reopen() {
    generation = null;
    build = null;
    inFlight = null;
    deadLetters.discardPending();
  }

  private void trackBackload(int records) {
    if (progress == null || generation == null) {
      return;
    }
    if (status.phase() == Phase.BUILDING) {
      progress.advance(records);
      if (progress.reached(source.positions())) {
        switchToBuild();
      }
      return;
    }
    if (status.phase() != Phase.BACKLOAD) {
      return;
    }
    progress.advance(records);
    // live only once Redis confirmed everything up to the end offsets
    if (inFlight == null && progress.reached(source.positions())) {
      status.phase(Phase.LIVE);
    }
  }

  /** Deletes pages of key spaces no generation uses any more, while the topic is quiet. */
  private void retireOldSpaces() {
    if (build != null || generation == null) {
      return;
    }
    for (int page = 0; page < RETIRE_PAGES_PER_IDLE_POLL && sink.retireStep(); page++) {
      status.beat();
    }
  }

  private void closeQuietly() {
    try {
      source.close();
    } catch (RuntimeException e) {
      LOG.debug("closing the consumer of {} failed", settings.name(), e);
    }
    deadLetters.close();
    sink.close();
  }
}
