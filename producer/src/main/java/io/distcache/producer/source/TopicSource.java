package io.distcache.producer.source;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic with a {@link KafkaConsumer} (and describes the topic with an {@link Admin} client): every
 * partition by manual assignment, or, in a consumer group, the partitions the group's cooperative assignor
 * gives this instance. Never auto-commit: the positions come from the namespace's meta hash, where the sink
 * stores them with the data they cover. Not thread-safe: one projection thread owns it (rebalance callbacks
 * run on it too, inside {@link #poll}).
 */
public final class TopicSource implements AutoCloseable {

  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Admin admin;
  private final String topic;
  private final boolean grouped;
  private List<TopicPartition> partitions = List.of();

  /**
   * Creates the consumer (it connects lazily).
   *
   * @param kafka the pass-through client settings ({@code bootstrap.servers}, SASL/SSL, ...)
   * @param topic the topic to read
   * @param clientId the client id, naming the projection in broker logs
   * @param maxPollRecords records per poll when the settings do not say
   */
  public TopicSource(Map<String, String> kafka, String topic, String clientId, int maxPollRecords) {
    this(kafka, topic, clientId, maxPollRecords, null);
  }

  /**
   * Creates the consumer of a member of consumer group {@code group} ({@link #subscribe}), or, when it is
   * {@code null}, one that reads every partition ({@link #assignAll}).
   */
  public TopicSource(Map<String, String> kafka, String topic, String clientId, int maxPollRecords, String group) {
    requireNonNull(topic, "topic");
    Properties props = new Properties();
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.putAll(kafka);
    // offsets live in Redis next to the data: Kafka must neither store nor reset them
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // a stored offset Kafka no longer has is a regression the runner handles, never a silent reset
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    // the runtime jar leaves the OpenTelemetry classes of client telemetry (KIP-714) out
    props.put(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, "false");
    this.grouped = group != null;
    if (grouped) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      // the classic protocol with incremental cooperative rebalancing: partitions that stay with a member keep
      // flowing during a rebalance, and a partition is revoked (its batches finished) before another owns it
      props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CLASSIC.name().toLowerCase(Locale.ROOT));
      props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    }
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Properties adminProps = new Properties();
    adminProps.putAll(kafka);
    adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin");
    adminProps.keySet().retainAll(AdminClientConfig.configNames());
    adminProps.put(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, "false");
    this.admin = Admin.create(adminProps);
    this.topic = topic;
  }

  /**
   * Assigns every partition of the topic.
   *
   * @throws KafkaException when the topic does not exist or Kafka does not answer within 10 s
   */
  public List<TopicPartition> assignAll() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      throw new KafkaException("topic '" + topic + "' does not exist or has no partitions; create it (compacted)"
          + " or fix projection[...].topic");
    }
    partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    consumer.assign(partitions);
    return partitions;
  }

  /**
   * Joins the consumer group: from the next {@link #poll} on, the group assigns partitions to this instance and
   * takes them away again, telling {@code listener} first.
   */
  public void subscribe(ConsumerRebalanceListener listener) {
    if (!grouped) {
      throw new IllegalStateException("this source reads every partition; give it a consumer group to subscribe");
    }
    consumer.subscribe(List.of(topic), listener);
  }

  /**
   * Stops fetching {@code partitions} until {@link #resume}d, and asks the group for a rebalance, whose end
   * confirms which member owns what: for partitions another member owns now, as far as Redis knows.
   */
  public void holdForRebalance(Collection<TopicPartition> partitions) {
    consumer.pause(partitions);
    consumer.enforceRebalance("another member owns partitions " + partitions + " in Redis");
  }

  /** The generation of the consumer group this member last joined; it grows with every rebalance. */
  public int groupGeneration() {
    return consumer.groupMetadata().generationId();
  }

  /** The assigned partitions held by {@link #holdForRebalance}. */
  public Set<TopicPartition> held() {
    return consumer.paused();
  }

  /** Fetches {@code partitions} again. */
  public void resume(Collection<TopicPartition> partitions) {
    consumer.resume(partitions);
  }

  /** Whether this source reads the partitions a consumer group assigns it. */
  public boolean grouped() {
    return grouped;
  }

  /** Positions every assigned partition at its stored next offset, or the beginning when none is stored. */
  public void seek(Map<Integer, Long> nextOffsets) {
    seek(partitions(), nextOffsets);
  }

  /** Positions {@code partitions} at their stored next offsets, or the beginning when none is stored. */
  public void seek(Collection<TopicPartition> partitions, Map<Integer, Long> nextOffsets) {
    for (TopicPartition partition : partitions) {
      Long next = nextOffsets.get(partition.partition());
      if (next == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, next);
      }
    }
  }

  /**
   * The topic's identity as the cluster describes it now: its id and partition count.
   *
   * @throws KafkaException when the topic does not exist or Kafka does not answer in time
   */
  public SourceIdentity identity() {
    try {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(METADATA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
      // brokers before Kafka 2.8 have no topic ids and answer the zero id: unknown, not another topic
      String topicId = Uuid.ZERO_UUID.equals(description.topicId()) ? "" : description.topicId().toString();
      return new SourceIdentity(topicId, description.partitions().size());
    } catch (ExecutionException e) {
      throw new KafkaException("cannot describe topic '" + topic + "': " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException("Kafka did not describe topic '" + topic + "' within " + METADATA_TIMEOUT.toSeconds()
          + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while describing topic '" + topic + "'", e);
    }
  }

  /**
   * Publishes the consumer's own metrics (fetch rates, lag, request latency...) as Micrometer meters.
   *
   * @return closing it removes the meters
   */
  public AutoCloseable bindMetrics(MeterRegistry registry) {
    KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
    metrics.bindTo(registry);
    return metrics;
  }

  /** The number of partitions assigned, by {@link #assignAll()} or by the group. */
  public int assignedPartitions() {
    return partitions().size();
  }

  /** The partitions assigned, by {@link #assignAll()} or by the group, in partition order. */
  public List<TopicPartition> partitions() {
    if (!grouped) {
      return partitions;
    }
    return consumer.assignment().stream().sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
  }

  /**
   * The first offset every partition still holds (the log start offset).
   *
   * @throws KafkaException (a timeout) when Kafka does not answer within {@code timeout}
   */
  public Map<Integer, Long> beginningOffsets(Duration timeout) {
    Map<Integer, Long> beginnings = new HashMap<>();
    consumer.beginningOffsets(partitions(), timeout).forEach((partition, start) -> beginnings.put(partition.partition(),
        start));
    return beginnings;
  }

  /** The next records, at most the configured number, waiting up to {@code timeout}. */
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    return consumer.poll(timeout);
  }

  /**
   * The end offset of every partition.
   *
   * @throws KafkaException (a timeout) when Kafka does not answer within {@code timeout}
   */
  public Map<Integer, Long> endOffsets(Duration timeout) {
    Map<Integer, Long> ends = new HashMap<>();
    consumer.endOffsets(partitions(), timeout).forEach((partition, end) -> ends.put(partition.partition(), end));
    return ends;
  }

  /** The next offset to read per partition. */
  public Map<Integer, Long> positions() {
    Map<Integer, Long> positions = new HashMap<>();
    for (TopicPartition partition : partitions()) {
      positions.put(partition.partition(), consumer.position(partition, METADATA_TIMEOUT));
    }
    return positions;
  }

  /** The lag per partition the consumer knows from its last fetches (empty for partitions not fetched yet). */
  public Map<Integer, Long> lags() {
    Map<Integer, Long> lags = new HashMap<>();
    for (TopicPartition partition : partitions()) {
      OptionalLong lag = consumer.currentLag(partition);
      if (lag.isPresent()) {
        lags.put(partition.partition(), lag.getAsLong());
      }
    }
    return lags;
  }

  @Override
  public void close() {
    try {
      consumer.close(Duration.ofSeconds(5));
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
