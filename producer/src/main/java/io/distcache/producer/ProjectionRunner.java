package io.distcache.producer;

import io.distcache.producer.RecordProjector.Outcome;
import io.distcache.producer.config.ProducerConfigurationException;
import io.distcache.producer.ops.BackloadProgress;
import io.distcache.producer.ops.ProjectionMetrics;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.producer.ops.ProjectionStatus;
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
import io.distcache.protocol.codec.ValueCodec;
import io.distcache.protocol.sabotage.Sabotage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
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
 * share the claim and write the partitions the group gives each ({@link GroupMembership}). A namespace without
 * a generation gets a new one and is backloaded from offset 0, else the runner resumes from the offsets in its
 * meta hash. Each batch's next offsets are stored only with or after its data, so a crash replays instead of
 * skipping. The claim is renewed every quarter of the claim time; losing it (another instance took over after
 * this one was silent) makes this one a standby.
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
 * it started, and then switches it in with one script ({@link BuildBeside}). A build resumes from
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
  private final Map<Integer, Long> stored = new HashMap<>();
  private final BatchPipeline batches;
  private final TopicChecks checks;
  private final GroupMembership group;
  private final BuildBeside builds;
  private BackloadProgress progress;
  private long standbyMillis;
  private long nextClaim;
  private long nextLagCheck;

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
    this.batches = new BatchPipeline(sink, metrics, status);
    this.checks = new TopicChecks(settings, sink.namespace());
    RunnerContext context = new RunnerContext(settings, source, sink, metrics, status, checks, stored, new Control(),
        END_OFFSETS_TIMEOUT, RETIRE_GRACE);
    this.group = new GroupMembership(context);
    this.builds = new BuildBeside(context);
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
    } else {
      group.subscribe();
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
    builds.forget();
    nextClaim = System.nanoTime() + claimRenewalNanos;
    if (source.grouped()) {
      group.open(claim, topic);
      return true;
    }
    Map<Integer, Long> offsets = sink.offsets();
    Map<Integer, Long> ends = source.endOffsets(END_OFFSETS_TIMEOUT);
    String rebuildReason = RebuildReason.of(claim, settings);
    if (sink.buildsBeside()) {
      builds.open(claim, topic, offsets, ends);
    } else if (rebuildReason != null) {
      rebuildFromStart(rebuildReason, false);
    } else {
      checks.refuseRepartitioned(topic, claim.source());
      String regression = TopicChecks.regression(topic, claim.source(), offsets, ends,
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

  private void resumeAt(Map<Integer, Long> offsets) {
    Map<Integer, Long> resumeAt = Sabotage.REPLAY_FROM_START.isActive() ? Map.of() : offsets;
    stored.clear();
    stored.putAll(resumeAt);
    source.seek(resumeAt);
  }

  /** Starts the backload's progress from the source's positions, or goes live when there is nothing to load. */
  private void track(Map<Integer, Long> ends) {
    Map<Integer, Long> starts = source.positions();
    Build build = builds.underWay();
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
        builds.switchOver();
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
   * Empties the namespace under a new generation and reads the topic from its start.
   *
   * @param regression whether the cause is an offset regression, which {@code on-offset-regression} governs
   */
  private void rebuildFromStart(String reason, boolean regression) {
    if (source.grouped()) {
      group.rebuild(reason, regression);
      return;
    }
    if (sink.buildsBeside()) {
      builds.start(reason, regression);
      return;
    }
    checks.refuseRegression(reason, regression);
    LOG.warn("projection {}: rebuilding namespace {} from the start of topic '{}' because {}", settings.name(),
        sink.namespace(), settings.topic(), reason);
    String next = newGeneration();
    long result = sink.rebuild(generation, next, identity);
    if (result < 0) {
      LOG.info("projection {}: the rebuild of {} was refused ({}); opening the namespace again in {} ms",
          settings.name(), sink.namespace(), PendingBatch.describeRefusal(result), backoff.nextMillis());
      reopen();
      backoff.pause();
      return;
    }
    metrics.rebuilt();
    sink.rebuiltInPlace(settings.version());
    generation = next;
    stored.clear();
    source.seek(Map.of());
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
      group.rethrowRebalanceFailure();
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
    checks.refuseRepartitioned(topic, identity);
    // the log start is checked at open and by the consumer (no offset reset): not every few seconds here
    String regression = TopicChecks.regression(topic, identity, stored, ends, Map.of());
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

  /** Sends a batch (see {@link BatchPipeline}), then reacts to the previous one's refusal, if any. */
  private void dispatch(List<EntryWrite> writes, Map<Integer, Long> nextOffsets) {
    if (nextOffsets.isEmpty()) {
      return;
    }
    // dead letters first: the offsets stored with this batch cover the rejected records too
    deadLetters.flush();
    Map<Integer, OffsetMove> moves = new HashMap<>();
    nextOffsets.forEach((partition, next) -> moves.put(partition, new OffsetMove(stored.get(partition), next)));
    stored.putAll(nextOffsets);
    long refusal = batches.send(writes, moves, generation, builds.underWay());
    if (refusal < 0) {
      refused(refusal);
    }
  }

  /** Waits for the batch in flight, if any, then reacts to its refusal. */
  private void drain() {
    long refusal = batches.drain();
    if (refusal < 0) {
      refused(refusal);
    }
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

  /**
   * Clears the namespace for a Debezium truncate; {@code false} when Redis refused it (the caller returns,
   * and the namespace is opened again).
   */
  private boolean truncate(SourceRecord record) {
    if (builds.underWay() != null) {
      // everything loaded so far goes; the build starts again, empty, right after the truncate, where the
      // rest of this poll goes on
      Map<Integer, Long> from = new HashMap<>(stored);
      from.put(record.partition(), record.offset() + 1);
      return builds.startAt("a Debezium truncate at " + record + " while it was being built", false, from);
    }
    String next = newGeneration();
    OffsetMove move = new OffsetMove(stored.get(record.partition()), record.offset() + 1);
    long result = sink.truncate(generation, move, record.partition(), next);
    if (result < 0) {
      LOG.info("projection {}: the truncate at {} was refused ({})", settings.name(), record,
          PendingBatch.describeRefusal(result));
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
    builds.forget();
    batches.forget();
    deadLetters.discardPending();
  }

  private void trackBackload(int records) {
    if (progress == null || generation == null) {
      return;
    }
    if (status.phase() == Phase.BUILDING) {
      progress.advance(records);
      if (progress.reached(source.positions())) {
        builds.switchOver();
      }
      return;
    }
    if (status.phase() != Phase.BACKLOAD) {
      return;
    }
    progress.advance(records);
    // live only once Redis confirmed everything up to the end offsets
    if (batches.idle() && progress.reached(source.positions())) {
      status.phase(Phase.LIVE);
    }
  }

  /** Deletes pages of key spaces no generation uses any more, while the topic is quiet. */
  private void retireOldSpaces() {
    if (builds.underWay() != null || generation == null) {
      return;
    }
    for (int page = 0; page < RETIRE_PAGES_PER_IDLE_POLL && sink.retireStep(); page++) {
      status.beat();
    }
  }

  /** What the runner's group membership and builds read and change of it. */
  private final class Control implements RunnerControl {

    @Override
    public String generation() {
      return generation;
    }

    @Override
    public void generation(String current) {
      generation = current;
    }

    @Override
    public SourceIdentity identity() {
      return identity;
    }

    @Override
    public void drain() {
      ProjectionRunner.this.drain();
    }

    @Override
    public void dropInFlight() {
      batches.forget();
    }

    @Override
    public void refused(long code) {
      ProjectionRunner.this.refused(code);
    }

    @Override
    public void track(Map<Integer, Long> ends) {
      ProjectionRunner.this.track(ends);
    }

    @Override
    public void resumeAt(Map<Integer, Long> offsets) {
      ProjectionRunner.this.resumeAt(offsets);
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
