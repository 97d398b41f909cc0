package io.distcache.producer.source;

import static java.util.Objects.requireNonNull;

import io.distcache.producer.projection.RejectedRecordException;
import io.distcache.producer.projection.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends rejected source records, byte for byte, to a projection's dead-letter topic with headers saying
 * why and where from: {@code distcache.reason} (machine-readable), {@code distcache.error} (message),
 * {@code distcache.projection}, {@code distcache.source.topic}, {@code distcache.source.partition},
 * {@code distcache.source.offset}. Without a dead-letter topic rejected records are only logged.
 */
public final class DeadLetters implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final String projection;
  private final List<Future<RecordMetadata>> pending = new ArrayList<>();

  /**
   * Creates the publisher.
   *
   * @param kafka the pass-through client settings
   * @param topic the dead-letter topic, or {@code null} to log only
   * @param projection the projection's name, written to a header
   */
  public DeadLetters(Map<String, String> kafka, String topic, String projection) {
    requireNonNull(kafka, "kafka");
    this.topic = topic;
    this.projection = requireNonNull(projection, "projection");
    if (topic == null) {
      this.producer = null;
      return;
    }
    Properties props = new Properties();
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "distcache-producer-dlq-" + projection);
    props.putAll(kafka);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // the runtime jar leaves the OpenTelemetry classes of client telemetry (KIP-714) out
    props.put(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, "false");
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends a rejected record (asynchronously; {@link #flush()} waits for the broker's acknowledgement). */
  public void send(SourceRecord record, RejectedRecordException rejection) {
    LOG.warn("projection {}: record {} rejected ({}): {}{}", projection, record, rejection.reason(), rejection.getMessage(),
        topic == null ? "; no dlq-topic configured, the record is dropped" : "; sent to " + topic);
    if (producer == null) {
      return;
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add("distcache.reason", utf8(rejection.reason()));
    headers.add("distcache.error", utf8(rejection.getMessage()));
    headers.add("distcache.projection", utf8(projection));
    headers.add("distcache.source.topic", utf8(record.topic()));
    headers.add("distcache.source.partition", utf8(Integer.toString(record.partition())));
    headers.add("distcache.source.offset", utf8(Long.toString(record.offset())));
    pending.add(producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers)));
  }

  /**
   * Waits until every record sent so far is acknowledged, so the source offsets after them may be stored.
   *
   * @throws KafkaException when a record could not be written; the caller replays the batch
   */
  public void flush() {
    if (pending.isEmpty()) {
      return;
    }
    producer.flush();
    try {
      for (Future<RecordMetadata> future : pending) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw new KafkaException("dead-letter topic '" + topic + "' refused a record: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while writing to dead-letter topic '" + topic + "'", e);
    } finally {
      pending.clear();
    }
  }

  /** Forgets unacknowledged sends before a replay (they may still arrive: the DLQ is at-least-once). */
  public void discardPending() {
    pending.clear();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(java.time.Duration.ofSeconds(5));
    }
  }
}
