package io.distcache.producer;

import io.distcache.jcache.codec.Envelope;
import io.distcache.jcache.codec.KeyEncoder;
import io.distcache.jcache.codec.ValueCodec;
import io.distcache.producer.ops.BackloadProgress;
import io.distcache.producer.ops.ProjectionMetrics;
import io.distcache.producer.ops.ProjectionStatus;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.producer.projection.Change;
import io.distcache.producer.projection.Projection;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.RejectedRecordException;
import io.distcache.producer.projection.SourceRecord;
import io.distcache.producer.sink.EntryWrite;
import io.distcache.producer.sink.NamespaceSink;
import io.distcache.producer.sink.NamespaceSink.OffsetMove;
import io.distcache.producer.sink.NamespaceSink.PendingBatch;
import io.distcache.producer.sink.SinkUnavailableException;
import io.distcache.producer.source.DeadLetters;
import io.distcache.producer.source.TopicSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.cache.CacheException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one projection on its own thread: source → projection → sink, batch after batch.
 *
 * <p>Start: assign all partitions; if the namespace has no generation, record a new one and backload
 * from offset 0, else resume from the offsets in its meta hash. Each batch's next offsets are stored only
 * with or after its data (same script on a single master, a later commit on Redis Cluster), so a crash
 * replays instead of skipping. When Redis answers that the
 * generation is gone or different (FLUSHALL, failover to an empty node, another instance rebuilt),
 * the runner reopens the namespace and reads again from the offsets recorded there, from 0 if none.
 * Any Redis or Kafka failure does the same after a backoff: nothing is lost, nothing crash-loops.
 */
public final class ProjectionRunner implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long GENERATION_CHECK_NANOS = 1_000_000_000L;
  private static final long LAG_CHECK_NANOS = 5_000_000_000L;
  private static final Duration END_OFFSETS_TIMEOUT = Duration.ofSeconds(5);
  private static final String VALUE_TYPE = "java.util.Map";

  private final ProjectionSettings settings;
  private final Projection projection;
  private final TopicSource source;
  private final NamespaceSink sink;
  private final DeadLetters deadLetters;
  private final ValueCodec codec;
  private final KeyEncoder keys;
  private final ProjectionMetrics metrics;
  private final ProjectionStatus status;
  private final Backoff backoff = new Backoff();
  private volatile boolean stopping;
  private String generation;
  private Map<Integer, Long> stored = new HashMap<>();
  private PendingBatch inFlight;
  private BackloadProgress progress;
  private long nextGenerationCheck;
  private long nextLagCheck;

  /** Wires a projection; {@link #run()} does the work. */
  public ProjectionRunner(ProjectionSettings settings, Projection projection, TopicSource source, NamespaceSink sink,
      DeadLetters deadLetters, ValueCodec codec, ProjectionMetrics metrics, ProjectionStatus status) {
    this.settings = settings;
    this.projection = projection;
    this.source = source;
    this.sink = sink;
    this.deadLetters = deadLetters;
    this.codec = codec;
    this.keys = new KeyEncoder(codec);
    this.metrics = metrics;
    this.status = status;
  }

  /** Processes batches until {@link #stop()}; the batch in flight is finished first. */
  @Override
  public void run() {
    try {
      while (!stopping && !Thread.currentThread().isInterrupted()) {
        try {
          if (generation == null) {
            open();
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
    } finally {
      status.phase(Phase.STOPPED);
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
    } catch (RuntimeException e) {
      LOG.warn("projection {}: the last batch was not confirmed ({}); it is replayed on the next start",
          settings.name(), e.getMessage());
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

  private void open() {
    status.phase(Phase.STARTING);
    source.assignAll();
    status.kafkaError(null);
    sink.loadScripts();
    String current = sink.generation();
    if (current == null) {
      current = sink.open(UUID.randomUUID().toString(), "producer:" + settings.topic(), VALUE_TYPE);
      LOG.info("projection {}: namespace {} had no generation; writing generation {} from the topic's offsets"
          + " recorded there (from 0 if none)", settings.name(), sink.namespace(), current);
    }
    Map<Integer, Long> offsets = sink.offsets();
    status.redisError(null);
    generation = current;
    stored = new HashMap<>(offsets);
    source.seek(offsets);
    Map<Integer, Long> starts = source.positions();
    Map<Integer, Long> ends = source.endOffsets(END_OFFSETS_TIMEOUT);
    progress = new BackloadProgress(settings.name(), starts, ends);
    status.phase(progress.reached(starts) ? Phase.LIVE : Phase.BACKLOAD);
    LOG.info("projection {}: {} → {} (generation {}), starting at {} of end offsets {}", settings.name(),
        settings.topic(), sink.namespace(), generation, starts, ends);
  }

  private void step() {
    ConsumerRecords<byte[], byte[]> records = source.poll(POLL);
    long now = System.nanoTime();
    if (now >= nextLagCheck) {
      nextLagCheck = now + LAG_CHECK_NANOS;
      metrics.lags(source.lags());
      source.endOffsets(END_OFFSETS_TIMEOUT);
      status.kafkaError(null);
    }
    if (records.isEmpty()) {
      drain();
      if (generation == null) {
        return;
      }
      checkGeneration(now);
      trackBackload(0);
      return;
    }
    List<EntryWrite> writes = new ArrayList<>(records.count());
    Map<Integer, Long> nextOffsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      SourceRecord sourceRecord = new SourceRecord(record.topic(), record.partition(), record.offset(), record.key(),
          record.value());
      Change change = project(sourceRecord);
      if (change instanceof Change.Clear) {
        dispatch(writes, nextOffsets);
        drain();
        if (generation == null) {
          return;
        }
        clear(sourceRecord);
        writes = new ArrayList<>();
        nextOffsets = new HashMap<>();
      } else if (change != null) {
        EntryWrite write = toWrite(sourceRecord, change);
        if (write != null) {
          writes.add(write);
        }
      }
      nextOffsets.put(record.partition(), record.offset() + 1);
    }
    dispatch(writes, nextOffsets);
    trackBackload(records.count());
  }

  private Change project(SourceRecord record) {
    try {
      if (record.value() != null && record.value().length > settings.maxValueBytes()) {
        throw new RejectedRecordException(RejectedRecordException.TOO_LARGE, "the value has " + record.value().length
            + " bytes, more than max-value-bytes = " + settings.maxValueBytes());
      }
      Change change = projection.project(record, settings);
      if (change == null) {
        throw new RejectedRecordException(RejectedRecordException.MALFORMED, "projection '" + projection.format()
            + "' returned no change");
      }
      return change;
    } catch (RejectedRecordException e) {
      reject(record, e);
      return null;
    }
  }

  private void reject(SourceRecord record, RejectedRecordException e) {
    deadLetters.send(record, e);
    metrics.rejected(e.reason());
  }

  private EntryWrite toWrite(SourceRecord record, Change change) {
    long offset = record.offset();
    if (change instanceof Change.Upsert upsert) {
      try {
        return new EntryWrite(keys.encode(upsert.key()), offset, Envelope.of(codec.encode(upsert.value()), offset).toBytes());
      } catch (CacheException e) {
        reject(record, new RejectedRecordException(RejectedRecordException.UNENCODABLE, e.getMessage()));
        return null;
      }
    }
    Change.Delete delete = (Change.Delete) change;
    return new EntryWrite(keys.encode(delete.key()), offset, Envelope.tombstone(offset).toBytes());
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
    inFlight = sink.send(writes, moves, generation);
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
    if (written == PendingBatch.GENERATION_CHANGED) {
      rebuild();
      return;
    }
    if (written == PendingBatch.OFFSETS_MOVED) {
      LOG.info("projection {}: the offsets stored in {} moved under this instance (another instance, or a batch"
          + " lost in a Redis outage); reading from the stored offsets again", settings.name(), sink.namespace());
      reopen();
      return;
    }
    status.redisError(null);
    metrics.batch(written, batch.size() - written, Duration.ofNanos(System.nanoTime() - batch.sentNanos()));
    Map<Integer, Long> applied = new HashMap<>();
    batch.moves().forEach((partition, move) -> applied.put(partition, move.next()));
    metrics.applied(applied);
  }

  private void clear(SourceRecord record) {
    String next = UUID.randomUUID().toString();
    sink.clear(record.offset(), next);
    generation = next;
    LOG.warn("projection {}: Debezium truncate at {} cleared namespace {} (new generation {})", settings.name(),
        record, sink.namespace(), next);
  }

  private void checkGeneration(long now) {
    if (now < nextGenerationCheck) {
      return;
    }
    nextGenerationCheck = now + GENERATION_CHECK_NANOS;
    String current = sink.generation();
    status.redisError(null);
    if (!generation.equals(current)) {
      rebuild();
    }
  }

  private void rebuild() {
    LOG.warn("projection {}: namespace {} lost generation {} (FLUSHALL, failover to an empty node, or another"
        + " instance rebuilt it); reopening and reading the topic again", settings.name(), sink.namespace(), generation);
    metrics.rebuilt();
    reopen();
  }

  /** Forgets everything not confirmed by Redis; the next step reopens from the stored offsets. */
  private void reopen() {
    generation = null;
    inFlight = null;
    deadLetters.discardPending();
  }

  private void trackBackload(int records) {
    if (progress == null || generation == null || status.phase() != Phase.BACKLOAD) {
      return;
    }
    progress.advance(records);
    // live only once Redis confirmed everything up to the end offsets
    if (inFlight == null && progress.reached(source.positions())) {
      status.phase(Phase.LIVE);
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
