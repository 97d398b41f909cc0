package io.distcache.producer;

import io.distcache.producer.projection.Change;
import io.distcache.producer.projection.Projection;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.RejectedRecordException;
import io.distcache.producer.projection.SourceRecord;
import io.distcache.producer.sink.EntryWrite;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KeyEncoder;
import io.distcache.protocol.codec.ValueCodec;
import java.util.Objects;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns source records into what a sink writes: the projection's change, then the encoded key and envelope. A
 * record that cannot be projected or encoded costs that record only: its outcome is a rejection, which the caller
 * reports (a dead-letter topic, Kafka Connect's error reporter) while it goes on.
 *
 * <p>{@link #outcome} has no side effects: the caller reports a rejection, or writes, once it acts on the outcome.
 */
public final class RecordProjector {

  private static final Logger LOG = LoggerFactory.getLogger(RecordProjector.class);

  private final ProjectionSettings settings;
  private final Projection projection;
  private final ValueCodec codec;
  private final KeyEncoder keys;

  /** Wires a projection to its codec. */
  public RecordProjector(ProjectionSettings settings, Projection projection, ValueCodec codec) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.projection = Objects.requireNonNull(projection, "projection");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.keys = new KeyEncoder(codec);
  }

  /** What a record comes to. */
  public sealed interface Outcome {

    /** The record writes a value or a tombstone, its version the record's offset. */
    record Write(EntryWrite write) implements Outcome {
      /** Validates the write. */
      public Write {
        Objects.requireNonNull(write, "write");
      }
    }

    /** The record clears the namespace (a Debezium truncate); clearing is the caller's. */
    record Clear() implements Outcome {
    }

    /** The record can be neither projected nor encoded, for this reason. */
    record Rejected(RejectedRecordException reason) implements Outcome {
      /** Validates the reason. */
      public Rejected {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  /** The record's outcome: projected and encoded, or why not. */
  public Outcome outcome(SourceRecord record) {
    Change change;
    try {
      change = project(record);
    } catch (RejectedRecordException e) {
      return new Outcome.Rejected(e);
    } catch (RuntimeException | LinkageError e) {
      // a plugin's bug must cost the record, not the projection thread
      LOG.debug("projection '{}' failed on {}", projection.format(), record, e);
      return new Outcome.Rejected(new RejectedRecordException(RejectedRecordException.PROJECTION_FAILED,
          "projection '" + projection.format() + "' threw " + e));
    }
    if (change instanceof Change.Clear) {
      return new Outcome.Clear();
    }
    try {
      return new Outcome.Write(toWrite(record, change));
    } catch (CacheException e) {
      return new Outcome.Rejected(new RejectedRecordException(RejectedRecordException.UNENCODABLE, e.getMessage()));
    }
  }

  private Change project(SourceRecord record) {
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
  }

  private EntryWrite toWrite(SourceRecord record, Change change) {
    long offset = record.offset();
    if (change instanceof Change.Upsert upsert) {
      return new EntryWrite(keys.encode(upsert.key()), offset,
          Envelope.of(codec.encode(upsert.value()), offset).toBytes());
    }
    Change.Delete delete = (Change.Delete) change;
    return new EntryWrite(keys.encode(delete.key()), offset, Envelope.tombstone(offset).toBytes());
  }
}
