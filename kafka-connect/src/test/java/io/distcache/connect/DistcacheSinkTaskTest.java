package io.distcache.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two tasks of one connector on a real redis-server, driven call by call as Connect's worker would drive them
 * (Connect itself runs in {@link ConnectSinkIT}): a task Connect moved a partition away from, before it was told,
 * writes nothing of it and commits no offset beyond Redis's; rejected records reach the error reporter first.
 */
class DistcacheSinkTaskTest {

  private static final String TOPIC = "core.users";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  private static RedisServer redis;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void aTaskThatLostAPartitionWritesNothingOfItAndCommitsOnlyWhatRedisStored() {
    Map<String, String> config = config("lost");
    Context firstContext = new Context(P0, P1);
    DistcacheSinkTask first = task(config, firstContext);
    first.open(List.of(P0, P1));
    assertThat(firstContext.offsets).as("no offset stored yet: from the topic's start")
        .containsEntry(P0, 0L).containsEntry(P1, 0L);
    first.put(records(P0, 0, 10));
    first.put(records(P1, 0, 5));
    assertThat(first.preCommit(Map.of(P0, new OffsetAndMetadata(10), P1, new OffsetAndMetadata(5))))
        .containsEntry(P0, new OffsetAndMetadata(10)).containsEntry(P1, new OffsetAndMetadata(5));

    // Connect gives partition 1 to a second task; the first has not been told yet
    Context secondContext = new Context(P1);
    DistcacheSinkTask second = task(config, secondContext);
    second.open(List.of(P1));
    assertThat(secondContext.offsets).as("the second resumes where Redis stands").containsEntry(P1, 5L);

    first.put(records(P1, 5, 3));
    assertThat(stored("lost", 1)).as("the first task's batch of the lost partition").isEqualTo("5");
    assertThat(entry("lost", 1, 5)).isNull();
    assertThat(firstContext.paused).containsExactly(P1);
    assertThat(first.preCommit(Map.of(P0, new OffsetAndMetadata(10), P1, new OffsetAndMetadata(8))))
        .as("the first task commits no offset of the partition it lost").doesNotContainKey(P1)
        .containsEntry(P0, new OffsetAndMetadata(10));

    second.put(records(P1, 5, 3));
    assertThat(stored("lost", 1)).isEqualTo("8");
    assertThat(entry("lost", 1, 7)).isNotNull();
    assertThat(second.preCommit(Map.of(P1, new OffsetAndMetadata(8)))).containsEntry(P1, new OffsetAndMetadata(8));
    first.close(List.of(P0, P1));
    first.stop();
    second.stop();
  }

  @Test
  void rejectedRecordsReachTheErrorReporterBeforeTheirOffsetsMoveAndWithoutOneTheTaskFails() {
    Map<String, String> config = config("rejects");
    Context context = new Context(P0);
    DistcacheSinkTask task = task(config, context);
    task.open(List.of(P0));
    List<SinkRecord> batch = new ArrayList<>(records(P0, 0, 2));
    batch.add(new SinkRecord(TOPIC, 0, null, key(2), null, "{not json".getBytes(StandardCharsets.UTF_8), 2));
    task.put(batch);
    assertThat(context.reported).extracting(SinkRecord::kafkaOffset).containsExactly(2L);
    assertThat(stored("rejects", 0)).as("the offsets cover the rejected record").isEqualTo("3");
    task.stop();

    Context unreported = new Context(P0);
    unreported.reporting = false;
    DistcacheSinkTask strict = task(config("strict"), unreported);
    strict.open(List.of(P0));
    assertThatThrownBy(() -> strict.put(List.of(new SinkRecord(TOPIC, 0, null, key(1), null,
        "{not json".getBytes(StandardCharsets.UTF_8), 0)))).isInstanceOf(ConnectException.class)
        .hasMessageContaining("no error reporter");
    assertThat(stored("strict", 0)).as("no offset moved past a record nobody took").isNull();
    strict.stop();
  }

  private static DistcacheSinkTask task(Map<String, String> config, Context context) {
    DistcacheSinkTask task = new DistcacheSinkTask();
    task.initialize(context);
    task.start(config);
    return task;
  }

  private static Map<String, String> config(String namespace) {
    Map<String, String> config = new HashMap<>();
    config.put("name", namespace + "-sink");
    config.put("topics", TOPIC);
    config.put("redis.uri", redis.uri());
    config.put("projection[users].namespace", namespace);
    config.put("projection[users].key-template", "user:{id}");
    return config;
  }

  private static List<SinkRecord> records(TopicPartition partition, long from, int count) {
    List<SinkRecord> records = new ArrayList<>();
    for (long offset = from; offset < from + count; offset++) {
      long id = partition.partition() * 1000L + offset;
      records.add(new SinkRecord(TOPIC, partition.partition(), null, key(id), null,
          ("{\"id\":" + id + ",\"name\":\"User " + id + "\"}").getBytes(StandardCharsets.UTF_8), offset));
    }
    return records;
  }

  private static byte[] key(long id) {
    return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static String stored(String namespace, int partition) {
    String value = redis.command("HGET", "dc:{dc}:" + namespace + ":meta", "offset:" + partition);
    return value == null || value.isEmpty() ? null : value;
  }

  /** Whether the entry of the record at {@code offset} of {@code partition} exists, in any key space. */
  private static String entry(String namespace, int partition, long offset) {
    String keys = redis.command("KEYS", "dc:" + namespace + ":*user:" + (partition * 1000L + offset));
    return keys == null || keys.isBlank() ? null : keys;
  }

  /** What Connect's worker hands a task: its assignment, and what the task asked of the consumer. */
  private static final class Context implements SinkTaskContext {

    final Set<TopicPartition> assignment;
    final Map<TopicPartition, Long> offsets = new HashMap<>();
    final Set<TopicPartition> paused = new HashSet<>();
    final List<SinkRecord> reported = new ArrayList<>();
    boolean reporting = true;

    Context(TopicPartition... assigned) {
      assignment = Set.of(assigned);
    }

    @Override
    public Map<String, String> configs() {
      return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> moved) {
      offsets.putAll(moved);
    }

    @Override
    public void offset(TopicPartition partition, long offset) {
      offsets.put(partition, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
    }

    @Override
    public Set<TopicPartition> assignment() {
      return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {
      paused.addAll(List.of(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
      List.of(partitions).forEach(paused::remove);
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
      return reporting ? this::report : null;
    }

    private Future<Void> report(SinkRecord record, Throwable error) {
      reported.add(record);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public PluginMetrics pluginMetrics() {
      return null;
    }
  }
}
