package io.distcache.producer.demo;

import io.distcache.producer.config.ProducerSettings;
import io.distcache.producer.projection.Change;
import io.distcache.producer.projection.JsonRows;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.RecordKey;
import io.distcache.producer.projection.SourceRecord;
import io.distcache.producer.source.TopicSource;
import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KeyEncoder;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.codec.ValueCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a backload's time per record goes: each stage of the producer's work timed on its own, on one
 * thread, over the records the backload just read: the Kafka fetch (the producer's own consumer, from
 * offset 0), JSON parsing with the projection, and the encoding of keys and values into envelopes; next
 * to Redis's time in the scripts and the backload's own time per record. The producer overlaps Redis's
 * work with its own (a batch is applied while the next is prepared), so the stages need not add up to
 * the end-to-end figure.
 */
final class StageProfile {

  /** Records kept for the in-memory stages: enough for a steady figure, few enough for the heap. */
  private static final int SAMPLE = 200_000;
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private StageProfile() {
  }

  static String measure(ProducerSettings settings, int records, double endToEndMicros, double redisMicros,
      double setRate) {
    ProjectionSettings projection = settings.projections().get(0);
    List<SourceRecord> sample = new ArrayList<>(Math.min(records, SAMPLE));
    double fetchMicros = fetch(settings, projection, records, sample);
    List<RecordKey> parsedKeys = new ArrayList<>(sample.size());
    List<Map<String, Object>> rows = new ArrayList<>(sample.size());
    double parseMicros = fastest(() -> {
      parsedKeys.clear();
      rows.clear();
      for (SourceRecord record : sample) {
        parsedKeys.add(RecordKey.parse(record.key()));
        rows.add(JsonRows.object(record.value(), "value"));
      }
    }, sample.size());
    List<Change> changes = new ArrayList<>(sample.size());
    double projectMicros = fastest(() -> {
      changes.clear();
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> row = rows.get(i);
        changes.add(new Change.Upsert(projection.keyTemplate().render(parsedKeys.get(i), row),
            projection.fields().apply(row)));
      }
    }, sample.size());
    ValueCodec codec = new KryoValueCodec(ClassAllowList.defaults(), settings.compressionThreshold(),
        StageProfile.class.getClassLoader());
    KeyEncoder keys = new KeyEncoder(codec);
    long[] bytes = new long[1];
    double encodeMicros = fastest(() -> {
      bytes[0] = 0;
      for (int i = 0; i < changes.size(); i++) {
        Change.Upsert upsert = (Change.Upsert) changes.get(i);
        bytes[0] += keys.encode(upsert.key()).length() + Envelope.of(codec.encode(upsert.value()), i).toBytes().length;
      }
    }, changes.size());
    double cpuMicros = fetchMicros + parseMicros + projectMicros + encodeMicros + redisMicros;
    double bound = CORES * 1e6 / cpuMicros;
    return String.format("""

        ## Where a backload's time per record goes (each stage alone, one thread, %,d records, fastest of 3 runs)

        | stage | µs per record |
        |---|---:|
        | Kafka fetch (the producer's consumer, from offset 0, all %,d records) | %.2f |
        | JSON parsing of key and value (Jackson's streaming parser into maps) | %.2f |
        | projection (key template, fields) | %.2f |
        | encoding (key, Kryo value with LZ4 above the threshold, envelope; %d bytes per record) | %.2f |
        | Redis, in the backload's commands (its one thread; `INFO commandstats`) | %.2f |
        | **backload end to end** (the table above) | **%.2f** |

        The producer's thread does the fetch, the projection and the encoding one after another, while Redis
        applies the previous batch and Lettuce's I/O thread sends the next.

        The stages above need %.2f µs of CPU per record together, before the Kafka broker's and Lettuce's share.
        Spread perfectly over this machine's %d cores, that bounds any backload here at %,.0f records/s, %s of
        the SET limit.
        """, sample.size(), records, fetchMicros, parseMicros, projectMicros, bytes[0] / Math.max(1, changes.size()), encodeMicros,
        redisMicros, endToEndMicros, cpuMicros, CORES, bound,
        Double.isNaN(setRate) ? "n/a" : String.format("%.0f %%", 100 * bound / setRate));
  }

  /** Reads every record from offset 0 with the producer's consumer; keeps the first {@link #SAMPLE}. */
  private static double fetch(ProducerSettings settings, ProjectionSettings projection, int records,
      List<SourceRecord> sample) {
    try (TopicSource source = new TopicSource(settings.kafka(), projection.topic(), "stage-profile",
        projection.batchSize())) {
      source.assignAll();
      source.seek(Map.of());
      long read = 0;
      long start = System.nanoTime();
      while (read < records) {
        for (ConsumerRecord<byte[], byte[]> record : source.poll(Duration.ofSeconds(1))) {
          read++;
          if (sample.size() < SAMPLE) {
            sample.add(new SourceRecord(record.topic(), record.partition(), record.offset(), record.key(),
                record.value()));
          }
        }
      }
      return micros(start, read);
    }
  }

  /** The fastest of three runs of a stage, per record: the JIT and the garbage of one run must not count. */
  private static double fastest(Runnable stage, int count) {
    double best = Double.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      long start = System.nanoTime();
      stage.run();
      best = Math.min(best, micros(start, count));
    }
    return best;
  }

  private static double micros(long startNanos, long count) {
    return (System.nanoTime() - startNanos) / 1e3 / Math.max(1, count);
  }
}
