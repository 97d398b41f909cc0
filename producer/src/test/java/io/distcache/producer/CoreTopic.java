package io.distcache.producer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A core service publishing JSON user rows (key {@code {"id":n}}) to a topic, keeping the compacted state
 * it implies: the last row per key, deleted keys absent. Values carry a per-key {@code rev} counter.
 */
final class CoreTopic implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final Map<Long, Map<String, Object>> state = new HashMap<>();
  private final Map<Long, Long> revisions = new HashMap<>();
  private final java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();

  CoreTopic(String bootstrapServers, String topic) {
    this(bootstrapServers, topic, "none");
  }

  /** A core service whose records are compressed with {@code compression} ({@code zstd}, {@code snappy}, ...). */
  CoreTopic(String bootstrapServers, String topic, String compression) {
    Properties props = new Properties();
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  /** Publishes a new revision of user {@code id}. */
  void upsert(long id) {
    long rev = revisions.merge(id, 1L, Long::sum);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("name", "User " + id);
    row.put("email", "user" + id + "@example.com");
    row.put("rev", rev);
    row.put("balance", new java.math.BigDecimal(id + ".25"));
    state.put(id, row);
    String json = "{\"id\":" + id + ",\"name\":\"User " + id + "\",\"email\":\"user" + id + "@example.com\",\"rev\":"
        + rev + ",\"balance\":" + id + ".25}";
    send(new ProducerRecord<>(topic, key(id), json.getBytes(StandardCharsets.UTF_8)));
  }

  /** Publishes a Kafka tombstone for user {@code id}. */
  void delete(long id) {
    state.remove(id);
    send(new ProducerRecord<>(topic, key(id), null));
  }

  /** Publishes raw bytes (bad records). */
  void raw(byte[] key, byte[] value) {
    send(new ProducerRecord<>(topic, key, value));
  }

  private void send(ProducerRecord<byte[], byte[]> record) {
    producer.send(record, (metadata, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
      }
    });
  }

  /** Waits until every record is in Kafka; fails when one was not written, so the expected state is never wrong. */
  void flush() {
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("the core service could not publish a record", failure.get());
    }
  }

  /** The compacted state: user id to the last row published. */
  Map<Long, Map<String, Object>> state() {
    return state;
  }

  static byte[] key(long id) {
    return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
  }
}
