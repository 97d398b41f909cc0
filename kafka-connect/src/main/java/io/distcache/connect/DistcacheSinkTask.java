package io.distcache.connect;

import io.distcache.producer.Plugins;
import io.distcache.producer.RebuildReason;
import io.distcache.producer.RecordProjector.Outcome;
import io.distcache.producer.RecordProjector;
import io.distcache.producer.config.ProducerSettings;
import io.distcache.producer.ops.ProducerVersion;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.RejectedRecordException;
import io.distcache.producer.projection.SourceRecord;
import io.distcache.producer.sink.Build;
import io.distcache.producer.sink.Claim;
import io.distcache.producer.sink.EntryWrite;
import io.distcache.producer.sink.NamespaceSink.Ownership;
import io.distcache.producer.sink.NamespaceSink;
import io.distcache.producer.sink.OffsetMove;
import io.distcache.producer.sink.PendingBatch;
import io.distcache.producer.sink.RedisTarget;
import io.distcache.producer.sink.SinkUnavailableException;
import io.distcache.producer.source.SourceIdentity;
import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.namespace.Namespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the records of the partitions Connect gives this task to the namespace, with the producer's sink:
 * each {@link #put} is one fenced batch whose offsets are stored in Redis with its data.
 *
 * <p>The tasks of a connector share the namespace's claim ({@code writer = connect:<connector>}) and own the
 * partitions Connect assigns them (see {@link NamespaceSink#own}): a task records itself as their owner and seeks
 * them to the offsets stored in Redis before it writes any of their records, and {@link #preCommit} reports those
 * offsets, so Connect's own offsets never run ahead of the data. A task whose partition another task owns now
 * pauses it and takes it again only at its next housekeeping, if Connect still assigns it. Records the projection
 * rejects go to Connect's error reporter (its dead-letter queue) before their batch's offsets move.
 *
 * <p>Redis calls that fail in {@link #open} are retried in {@link #put}, which Connect calls on every poll and
 * repeats with the same records after a {@link RetriableException}.
 */
public final class DistcacheSinkTask extends SinkTask {

  private static final Logger LOG = LoggerFactory.getLogger(DistcacheSinkTask.class);
  private static final String VALUE_TYPE = "java.util.Map";
  /** Connect tells tasks nothing of its group generations: every take counts as the same one. */
  private static final int GROUP_GENERATION = 0;
  /** The topic's identity is not checked here (Connect reads the topic): unknown to the claim. */
  private static final SourceIdentity UNKNOWN_TOPIC = new SourceIdentity("", 0);
  /** How long edges may go on reading a key space after a rebuild switched away from it. */
  private static final Duration RETIRE_GRACE = Duration.ofSeconds(10);
  /** Pages of a retired key space deleted per housekeeping. */
  private static final int RETIRE_PAGES = 20;
  /** Tries to open the namespace while other tasks race to rebuild it, before Connect's back-off. */
  private static final int OPEN_ATTEMPTS = 3;

  private ProducerSettings settings;
  private ProjectionSettings projection;
  private String writer;
  private Plugins plugins;
  private RedisTarget target;
  private NamespaceSink sink;
  private RecordProjector projector;
  private ErrantRecordReporter reporter;
  private final List<Future<Void>> reported = new ArrayList<>();
  /** The record being projected, for the error reporter. */
  private SinkRecord current;
  /** The namespace's generation this task writes; {@code null} until it opened the namespace (again). */
  private String generation;
  private final Map<Integer, Long> stored = new HashMap<>();
  /** Partitions Connect gave this task that it has not recorded as its own in Redis yet. */
  private final Set<TopicPartition> toTake = new HashSet<>();
  /** Partitions another task owns in Redis: paused until a housekeeping finds them still assigned here. */
  private final Set<TopicPartition> held = new HashSet<>();
  private long nextHousekeeping;

  @Override
  public String version() {
    return ProducerVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    settings = ConnectorSettings.parse(props);
    projection = settings.projections().get(0);
    writer = "connect:" + props.getOrDefault("name", projection.name());
    plugins = Plugins.load(settings.pluginPath());
    KryoValueCodec codec = new KryoValueCodec(ClassAllowList.defaults(), settings.compressionThreshold(),
        plugins.classLoader());
    projector = new RecordProjector(projection, plugins.projectionFor(projection), codec);
    target = RedisTarget.of(settings.redis());
    sink = new NamespaceSink(target, Namespace.of(settings.keyPrefix(), projection.namespace()), writer,
        UUID.randomUUID().toString(), settings.logMaxLength(), projection.tombstoneTtl(), false);
    reporter = errantRecordReporter();
  }

  private ErrantRecordReporter errantRecordReporter() {
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      // a worker older than Kafka 2.6
      return null;
    }
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    toTake.addAll(partitions);
    try {
      ready();
    } catch (SinkUnavailableException | RetriableException e) {
      // Connect would fail the task for an exception here: put() takes them once Redis answers
      LOG.warn("connector {}: could not take partitions {} yet ({}); retrying with the next records", writer,
          toTake, e.getMessage());
    }
  }

  /**
   * Opens the namespace if needed, takes the partitions Connect gave, and does the periodic work: renews the claim,
   * notices a rebuild request, takes held partitions again and deletes retired key spaces.
   */
  private void ready() {
    if (generation == null) {
      openNamespace();
    }
    if (!toTake.isEmpty()) {
      own(List.copyOf(toTake), true);
    }
    long now = System.nanoTime();
    if (now >= nextHousekeeping) {
      nextHousekeeping = now + settings.claimTime().toNanos() / 4;
      housekeeping();
    }
  }

  /**
   * Claims the namespace for the connector's tasks and rebuilds it when it needs that; then every partition
   * assigned here is taken again, since a rebuild dropped every stored offset.
   */
  private void openNamespace() {
    for (int attempt = 1; attempt <= OPEN_ATTEMPTS; attempt++) {
      Claim claim = claim();
      generation = claim.generation();
      String reason = RebuildReason.of(claim, projection);
      if (reason == null && (claim.state().build() != null || claim.state().building())) {
        reason = "a rebuild was cut off before its switch";
      }
      if (reason == null || rebuild(reason)) {
        stored.clear();
        toTake.addAll(context.assignment());
        return;
      }
    }
    generation = null;
    throw new RetriableException("connector " + writer + ": other tasks kept rebuilding namespace " + sink.namespace()
        + " while this one opened it; it tries again");
  }

  private Claim claim() {
    Claim claim = sink.claim(settings.claimTime(), UUID.randomUUID().toString(), "producer:" + projection.topic(),
        VALUE_TYPE, UNKNOWN_TOPIC);
    if (claim.ownedByAnother()) {
      throw new ConnectException("namespace " + sink.namespace() + " is written by '" + claim.owner() + "', not by"
          + " a projection of topic '" + projection.topic() + "'; give projection[" + projection.name()
          + "].namespace another name");
    }
    if (!claim.held()) {
      throw new RetriableException("namespace " + sink.namespace() + " is written by another producer (its claim"
          + " runs " + claim.heldElsewhereMillis() + " ms more unless renewed); stop it, or wait until it lapses");
    }
    return claim;
  }

  /**
   * Switches the namespace to a new, empty generation in a key space of its own (edges read it as it fills), as
   * a consumer group of producers does: every task, refused on the old generation, reads its partitions again.
   *
   * @return whether this task switched it ({@code false}: another task changed the namespace first)
   */
  private boolean rebuild(String reason) {
    Build fresh = Build.next(projection.version());
    long result = sink.startBuild(generation, fresh, Map.of(), RETIRE_GRACE, UNKNOWN_TOPIC);
    if (result == 0) {
      result = sink.switchTo(generation, fresh, Map.of(), RETIRE_GRACE);
    }
    if (result < 0) {
      return false;
    }
    LOG.warn("connector {}: rebuilt namespace {} from the start of topic '{}' because {}; generation {} (key space"
        + " {})", writer, sink.namespace(), projection.topic(), reason, fresh.generation(), fresh.space());
    generation = fresh.generation();
    return true;
  }

  /** Renews the claim (reading a rebuild request), takes held partitions again, deletes retired key spaces. */
  private void housekeeping() {
    Claim claim = claim();
    if (!claim.generation().equals(generation) || RebuildReason.of(claim, projection) != null) {
      generation = null;
      openNamespace();
      own(List.copyOf(toTake), true);
    }
    held.retainAll(context.assignment());
    if (!held.isEmpty()) {
      // Connect still assigns them here after a claim time's quarter: the other task was the stale one
      own(List.copyOf(held), true);
    }
    int pages = 0;
    while (pages++ < RETIRE_PAGES && sink.retireStep()) {
      LOG.debug("connector {}: deleted a page of a retired key space of {}", writer, sink.namespace());
    }
  }

  /**
   * Records this task as the owner of {@code partitions} (a take when Connect gave them, else keeping those it
   * owns) and seeks each to its offset stored in Redis, the topic's start when none is; partitions another task
   * owns now are paused and held.
   */
  private void own(List<TopicPartition> partitions, boolean taken) {
    if (partitions.isEmpty()) {
      return;
    }
    Ownership ownership = sink.own(generation, partitions.stream().map(TopicPartition::partition).toList(), taken,
        GROUP_GENERATION);
    if (ownership.refusal() < 0) {
      generation = null;
      throw new RetriableException("connector " + writer + ": the namespace changed while partitions " + partitions
          + " were taken; it is opened again");
    }
    for (TopicPartition partition : partitions) {
      toTake.remove(partition);
      if (ownership.lost().contains(partition.partition())) {
        stored.remove(partition.partition());
        held.add(partition);
        context.pause(partition);
        LOG.warn("connector {}: another task owns partition {} of {} now; this one writes none of it unless Connect"
            + " still assigns it here at the next housekeeping", writer, partition, sink.namespace());
        continue;
      }
      held.remove(partition);
      context.resume(partition);
      Long next = ownership.offsets().get(partition.partition());
      if (next == null) {
        stored.remove(partition.partition());
        // below the log start: the consumer's reset policy (earliest for sink tasks) takes the first record
        context.offset(partition, 0L);
      } else {
        stored.put(partition.partition(), next);
        context.offset(partition, next);
      }
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    Set<TopicPartition> seeking = new HashSet<>(toTake);
    try {
      ready();
    } catch (SinkUnavailableException e) {
      throw new RetriableException(e.getMessage(), e);
    }
    // records of partitions taken just now come from before their seek: Connect delivers them again
    seeking.removeAll(toTake);
    List<EntryWrite> writes = new ArrayList<>(records.size());
    Map<Integer, Long> next = new HashMap<>();
    Set<Integer> owned = sink.owned();
    for (SinkRecord record : records) {
      int partition = record.kafkaPartition();
      if (!owned.contains(partition) || seeking.contains(new TopicPartition(record.topic(), partition))) {
        continue;
      }
      Long from = next.containsKey(partition) ? next.get(partition) : stored.get(partition);
      if (from != null && record.kafkaOffset() < from) {
        // delivered again after a seek back: applied already
        continue;
      }
      current = record;
      SourceRecord source = new SourceRecord(record.topic(), partition, record.kafkaOffset(),
          bytes(record.key(), "key"), bytes(record.value(), "value"));
      Outcome outcome = projector.outcome(source);
      if (outcome instanceof Outcome.Write write) {
        writes.add(write.write());
      } else if (outcome instanceof Outcome.Rejected rejected) {
        reject(source, rejected.reason());
      } else {
        // the settings refuse truncate = clear: a projection has no other way to a clear
        throw new ConnectException("connector " + writer + ": " + source + " clears the namespace, which the"
            + " connector does not support; set projection[" + projection.name() + "].truncate = reject");
      }
      next.put(partition, record.kafkaOffset() + 1);
    }
    if (next.isEmpty()) {
      return;
    }
    // the offsets stored with this batch cover the rejected records too: they must be reported first
    awaitReports();
    Map<Integer, OffsetMove> moves = new HashMap<>();
    next.forEach((partition, after) -> moves.put(partition, new OffsetMove(stored.get(partition), after)));
    long result;
    try {
      result = sink.send(writes, moves, generation).await();
    } catch (SinkUnavailableException e) {
      // Connect puts the same records again after its back-off; the batch applied nothing or is replayed exactly
      throw new RetriableException(e.getMessage(), e);
    }
    if (result < 0) {
      refused(result);
      return;
    }
    stored.putAll(next);
  }

  /** Reads the namespace again after a refusal and seeks the partitions this task still owns to their offsets. */
  private void refused(long code) {
    LOG.info("connector {}: a batch for {} was refused ({}); reading the stored offsets again", writer,
        sink.namespace(), code == PendingBatch.GENERATION_CHANGED ? "the generation changed"
            : code == PendingBatch.FENCED ? "another producer claimed the namespace" : "the stored offsets moved");
    if (code == PendingBatch.GENERATION_CHANGED || code == PendingBatch.FENCED) {
      generation = null;
      return;
    }
    own(List.copyOf(context.assignment()), false);
  }

  private static byte[] bytes(Object data, String what) {
    if (data == null || data instanceof byte[]) {
      return (byte[]) data;
    }
    throw new ConnectException("the record's " + what + " is a " + data.getClass().getName() + ", not bytes: set "
        + what + ".converter = org.apache.kafka.connect.converters.ByteArrayConverter on the connector, so the"
        + " projection reads the record as the producer does");
  }

  private void reject(SourceRecord record, RejectedRecordException e) {
    if (reporter == null) {
      throw new ConnectException("connector " + writer + ": " + record + " was rejected (" + e.reason() + ": "
          + e.getMessage() + ") and no error reporter is configured; set errors.tolerance = all and"
          + " errors.deadletterqueue.topic.name to send such records to a dead-letter topic");
    }
    reported.add(reporter.report(current, e));
  }

  private void awaitReports() {
    try {
      for (Future<Void> report : reported) {
        report.get();
      }
    } catch (ExecutionException e) {
      throw new ConnectException("the error reporter failed to take a rejected record: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted while the error reporter took rejected records", e);
    } finally {
      reported.clear();
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    currentOffsets.keySet().forEach(partition -> {
      Long next = stored.get(partition.partition());
      if (next != null && !held.contains(partition) && !toTake.contains(partition)) {
        committed.put(partition, new OffsetAndMetadata(next));
      }
    });
    return committed;
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    List<Integer> numbers = partitions.stream().map(TopicPartition::partition).toList();
    if (sink != null) {
      sink.disown(numbers);
    }
    numbers.forEach(stored::remove);
    toTake.removeAll(partitions);
    held.removeAll(partitions);
  }

  @Override
  public void stop() {
    if (sink != null) {
      sink.close();
    }
    if (target != null) {
      target.close();
    }
    if (plugins != null) {
      plugins.close();
    }
  }
}
