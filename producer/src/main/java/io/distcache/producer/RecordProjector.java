package io.distcache.producer;

import io.distcache.jcache.codec.Envelope;
import io.distcache.jcache.codec.KeyEncoder;
import io.distcache.jcache.codec.ValueCodec;
import io.distcache.producer.projection.Change;
import io.distcache.producer.projection.Projection;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.RejectedRecordException;
import io.distcache.producer.projection.SourceRecord;
import io.distcache.producer.sink.EntryWrite;
import java.util.Objects;
import java.util.function.BiConsumer;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns source records into what a sink writes: the projection's change, then the encoded key and envelope. A
 * record that cannot be projected or encoded costs that record only: it goes to {@code rejected} (a dead-letter
 * topic, Kafka Connect's error reporter) and never stops the caller.
 */
public final class RecordProjector {

  private static final Logger LOG = LoggerFactory.getLogger(RecordProjector.class);

  private final ProjectionSettings settings;
  private final Projection projection;
  private final ValueCodec codec;
  private final KeyEncoder keys;
  private final BiConsumer<SourceRecord, RejectedRecordException> rejected;

  /**
   * Wires a projection to its codec.
   *
   * @param rejected told of every record that is neither projected nor encoded, with the reason
   */
  public RecordProjector(ProjectionSettings settings, Projection projection, ValueCodec codec,
      BiConsumer<SourceRecord, RejectedRecordException> rejected) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.projection = Objects.requireNonNull(projection, "projection");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.keys = new KeyEncoder(codec);
    this.rejected = Objects.requireNonNull(rejected, "rejected");
  }

  /** The record's change, or {@code null} when it was rejected. */
  public Change project(SourceRecord record) {
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
      rejected.accept(record, e);
      return null;
    } catch (RuntimeException | LinkageError e) {
      // a plugin's bug must cost the record, not the projection thread
      LOG.debug("projection '{}' failed on {}", projection.format(), record, e);
      rejected.accept(record, new RejectedRecordException(RejectedRecordException.PROJECTION_FAILED, "projection '"
          + projection.format() + "' threw " + e));
      return null;
    }
  }

  /** The write of an upsert or delete, its version the record's offset; {@code null} when the value was rejected. */
  public EntryWrite toWrite(SourceRecord record, Change change) {
    long offset = record.offset();
    if (change instanceof Change.Upsert upsert) {
      try {
        return new EntryWrite(keys.encode(upsert.key()), offset,
            Envelope.of(codec.encode(upsert.value()), offset).toBytes());
      } catch (CacheException e) {
        rejected.accept(record, new RejectedRecordException(RejectedRecordException.UNENCODABLE, e.getMessage()));
        return null;
      }
    }
    if (change instanceof Change.Delete delete) {
      return new EntryWrite(keys.encode(delete.key()), offset, Envelope.tombstone(offset).toBytes());
    }
    throw new IllegalArgumentException("a " + change.getClass().getSimpleName() + " is no entry write; "
        + "clears are the caller's");
  }
}
