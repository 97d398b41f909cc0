package io.distcache.producer.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.CacheProducer;
import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.fixture.CoreTopic;
import io.distcache.producer.fixture.DeadLetterTopic;
import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.Producers;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Bad records go to the dead-letter topic with their reason; every good record lands; the counter matches. */
class DeadLetterTest {

  private final Map<String, Integer> expectedReasons = new HashMap<>();
  private final List<String> expectedRecords = new ArrayList<>();

  @Test
  void badRecordsGoToTheDeadLetterTopicAndGoodOnesLand() throws Exception {
    // a delete-policy topic: compacted topics refuse records without a key at the broker already
    String rows = "dlq.rows";
    String cdc = "dlq.cdc";
    Set<Long> ids = new HashSet<>();
    Map<Long, Map<String, Object>> expected = new HashMap<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), rows);
        CoreTopic debezium = new CoreTopic(Infra.kafka().bootstrapServers(), cdc)) {
      for (long id = 0; id < 100; id++) {
        ids.add(id);
        core.upsert(id);
        if (id % 10 == 0) {
          bad(core, CoreTopic.key(id), utf8("{\"id\":" + id + ",\"name\":"), "malformed");
        }
      }
      bad(core, CoreTopic.key(500), utf8("[1,2,3]"), "malformed");
      bad(core, CoreTopic.key(501), utf8("{\"id\":501,\"blob\":\"" + "x".repeat(5_000) + "\"}"), "value-too-large");
      bad(core, null, utf8("{\"id\":502}"), "null-key");
      bad(core, null, null, "null-key");
      bad(core, utf8("{\"uid\":503}"), utf8("{\"name\":\"no id\"}"), "missing-key-field");
      bad(core, utf8("{\"id\":null}"), null, "missing-key-field");
      core.flush();
      expected.putAll(core.state());

      debezium.raw(utf8("{\"id\":1}"), utf8("{\"op\":\"c\",\"after\":{\"id\":1,\"name\":\"Ann\"}}"));
      debezium.raw(utf8("{\"id\":2}"), utf8("{\"schema\":{},\"payload\":{\"op\":\"r\",\"after\":{\"id\":2,\"name\":\"Bob\"}}}"));
      bad(debezium, utf8("{\"id\":3}"), utf8("{\"op\":\"x\",\"after\":{\"id\":3}}"), "unknown-op");
      bad(debezium, utf8("{\"id\":4}"), utf8("{\"after\":{\"id\":4}}"), "unknown-op");
      bad(debezium, utf8("{\"id\":5}"), utf8("{\"op\":\"t\"}"), "truncate-rejected");
      bad(debezium, utf8("{\"id\":6}"), utf8("{\"op\":\"u\"}"), "malformed");
      debezium.flush();
    }
    int expectedDead = expectedReasons.values().stream().mapToInt(Integer::intValue).sum();

    Properties props = Producers.properties(rows, "dlqrows");
    props.setProperty("projection[users].dlq-topic", "dlq.dead");
    props.setProperty("projection[users].max-value-bytes", "2000");
    props.setProperty("projection[cdc].topic", cdc);
    props.setProperty("projection[cdc].namespace", "dlqcdc");
    props.setProperty("projection[cdc].format", "debezium");
    props.setProperty("projection[cdc].key-template", "user:{id}");
    props.setProperty("projection[cdc].dlq-topic", "dlq.dead");
    try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(props, "test"));
        Edge rowsEdge = new Edge(Infra.redis().uri(), "dlqrows");
        Edge cdcEdge = new Edge(Infra.redis().uri(), "dlqcdc")) {
      List<ConsumerRecord<byte[], byte[]>> dead = DeadLetterTopic.readAll("dlq.dead", expectedDead);
      Map<String, Integer> reasons = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> record : dead) {
        count(reasons, DeadLetterTopic.header(record, "distcache.reason"));
        assertThat(DeadLetterTopic.header(record, "distcache.error")).isNotBlank();
        assertThat(DeadLetterTopic.header(record, "distcache.source.topic")).isIn(rows, cdc);
        assertThat(DeadLetterTopic.header(record, "distcache.source.offset")).matches("\\d+");
      }
      assertThat(reasons).isEqualTo(expectedReasons);
      assertThat(dead).as("dead letters byte for byte").extracting(DeadLetterTest::bytesOf)
          .containsExactlyInAnyOrderElementsOf(expectedRecords);
      double counted = producer.registry().find("distcache.producer.dlq").counters().stream()
          .mapToDouble(Counter::count).sum();
      assertThat(counted).isEqualTo(expectedDead);

      await().atMost(Duration.ofSeconds(30)).until(() -> rowsEdge.matches(expected, ids));
      assertThat(cdcEdge.get(1)).containsEntry("name", "Ann");
      assertThat(cdcEdge.get(2)).containsEntry("name", "Bob");
      assertThat(cdcEdge.get(3)).isNull();
    }
  }

  /** Publishes a record the projection must reject for {@code reason}, and expects it in the DLQ unchanged. */
  private void bad(CoreTopic topic, byte[] key, byte[] value, String reason) {
    topic.raw(key, value);
    count(expectedReasons, reason);
    expectedRecords.add(bytesOf(key, value));
  }

  private static String bytesOf(ConsumerRecord<byte[], byte[]> record) {
    return bytesOf(record.key(), record.value());
  }

  private static String bytesOf(byte[] key, byte[] value) {
    return (key == null ? "-" : Base64.getEncoder().encodeToString(key)) + "|"
        + (value == null ? "-" : Base64.getEncoder().encodeToString(value));
  }

  private static void count(Map<String, Integer> counts, String reason) {
    counts.merge(reason, 1, Integer::sum);
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }
}
