package io.distcache.producer.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.producer.config.SettingsFile;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProjectionFormatsTest {

  private final ProjectionSettings users = settings("json", "user:{id}", "", "");

  @Test
  void jsonRowsBecomeMapsWithExactNumbers() {
    Change change = new JsonRowProjection().project(record("{\"id\":42}",
        "{\"id\":42,\"name\":\"Ann\",\"balance\":10.50,\"tags\":[\"a\"],\"address\":{\"city\":\"Oslo\"},\"gone\":null}"),
        users);
    assertThat(change).isInstanceOf(Change.Upsert.class);
    Change.Upsert upsert = (Change.Upsert) change;
    assertThat(upsert.key()).isEqualTo("user:42");
    @SuppressWarnings("unchecked")
    Map<String, Object> value = (Map<String, Object>) upsert.value();
    assertThat(value).containsEntry("id", 42L).containsEntry("balance", new BigDecimal("10.50"))
        .containsEntry("tags", List.of("a")).containsEntry("address", Map.of("city", "Oslo")).containsEntry("gone", null);
  }

  @Test
  void kafkaTombstonesDeleteWithTheKeyFromAnObjectOrPlainKey() {
    assertThat(new JsonRowProjection().project(record("{\"id\":7}", null), users)).isEqualTo(new Change.Delete("user:7"));
    assertThat(new JsonRowProjection().project(record("7", null), users)).isEqualTo(new Change.Delete("user:7"));
    assertThat(new JsonRowProjection().project(record("\"abc\"", null), users)).isEqualTo(new Change.Delete("user:abc"));
    assertThat(new JsonRowProjection().project(record("plain-text", null), users))
        .isEqualTo(new Change.Delete("user:plain-text"));
  }

  @Test
  void selectedFieldsAreRenamed() {
    ProjectionSettings selected = settings("json", "user:{id}", "id,first_name", "first_name:firstName");
    Change.Upsert upsert = (Change.Upsert) new JsonRowProjection().project(
        record("{\"id\":1}", "{\"id\":1,\"first_name\":\"Ann\",\"password\":\"x\"}"), selected);
    assertThat(upsert.value()).isEqualTo(Map.of("id", 1L, "firstName", "Ann"));
  }

  @Test
  void compositeTemplatesTakeFieldsFromKeyThenRow() {
    ProjectionSettings composite = settings("json", "order:{tenant}:{id}", "", "");
    Change.Upsert upsert = (Change.Upsert) new JsonRowProjection().project(
        record("{\"id\":5}", "{\"tenant\":\"acme\",\"id\":999}"), composite);
    assertThat(upsert.key()).isEqualTo("order:acme:5");
    assertThatThrownBy(() -> new JsonRowProjection().project(record("{\"id\":5}", null), composite))
        .isInstanceOfSatisfying(RejectedRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectedRecordException.MISSING_KEY_FIELD));
  }

  @Test
  void debeziumEnvelopesWithAndWithoutSchemaWrapper() {
    DebeziumProjection debezium = new DebeziumProjection();
    String plain = "{\"before\":null,\"after\":{\"id\":1,\"name\":\"Ann\"},\"op\":\"c\",\"ts_ms\":1}";
    String wrapped = "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"before\":{\"id\":1},\"after\":{\"id\":1,"
        + "\"name\":\"Bo\"},\"op\":\"u\"}}";
    String key = "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"id\":1}}";
    assertThat(debezium.project(record(key, plain), users)).isEqualTo(new Change.Upsert("user:1", Map.of("id", 1L, "name", "Ann")));
    assertThat(debezium.project(record(key, wrapped), users)).isEqualTo(new Change.Upsert("user:1", Map.of("id", 1L, "name", "Bo")));
    assertThat(debezium.project(record("{\"id\":1}", "{\"op\":\"r\",\"after\":{\"id\":1}}"), users))
        .isEqualTo(new Change.Upsert("user:1", Map.of("id", 1L)));
    assertThat(debezium.project(record(key, "{\"op\":\"d\",\"before\":{\"id\":1},\"after\":null}"), users))
        .isEqualTo(new Change.Delete("user:1"));
    assertThat(debezium.project(record(key, null), users)).isEqualTo(new Change.Delete("user:1"));
    assertThat(debezium.project(record(key, "{\"schema\":{},\"payload\":null}"), users)).isEqualTo(new Change.Delete("user:1"));
  }

  @Test
  void debeziumTruncateClearsOrIsRejectedAndUnknownOpsAreRejected() {
    DebeziumProjection debezium = new DebeziumProjection();
    Properties clear = properties("debezium", "user:{id}");
    clear.setProperty("projection[p].truncate", "clear");
    ProjectionSettings clearing = SettingsFile.parse(clear, "test").projections().get(0);
    assertThat(debezium.project(record(null, "{\"op\":\"t\"}"), clearing)).isEqualTo(new Change.Clear());
    assertReason(() -> debezium.project(record(null, "{\"op\":\"t\"}"), users), RejectedRecordException.TRUNCATE_REJECTED);
    assertReason(() -> debezium.project(record("{\"id\":1}", "{\"op\":\"m\"}"), users), RejectedRecordException.UNKNOWN_OP);
    assertReason(() -> debezium.project(record("{\"id\":1}", "{\"after\":{}}"), users), RejectedRecordException.UNKNOWN_OP);
  }

  @Test
  void flattenedRowsWithDeletedFlag() {
    FlattenedProjection flattened = new FlattenedProjection();
    assertThat(flattened.project(record("{\"id\":3}", "{\"id\":3,\"name\":\"C\",\"__deleted\":\"false\"}"), users))
        .isEqualTo(new Change.Upsert("user:3", Map.of("id", 3L, "name", "C")));
    assertThat(flattened.project(record("{\"id\":3}", "{\"id\":3,\"__deleted\":\"true\"}"), users))
        .isEqualTo(new Change.Delete("user:3"));
    assertThat(flattened.project(record("{\"id\":3}", "{\"id\":3,\"__deleted\":true}"), users))
        .isEqualTo(new Change.Delete("user:3"));
    assertThat(flattened.project(record("{\"id\":3}", null), users)).isEqualTo(new Change.Delete("user:3"));
  }

  @Test
  void badInputIsRejectedWithAReason() {
    JsonRowProjection json = new JsonRowProjection();
    assertReason(() -> json.project(record(null, "{\"id\":1}"), users), RejectedRecordException.NULL_KEY);
    assertReason(() -> json.project(record("{\"id\":1}", "{\"id\":"), users), RejectedRecordException.MALFORMED);
    assertReason(() -> json.project(record("{\"id\":1}", "{\"id\":1} trailing"), users), RejectedRecordException.MALFORMED);
    assertReason(() -> json.project(record("{\"id\":1}", "\"text\""), users), RejectedRecordException.MALFORMED);
    assertReason(() -> json.project(record("{\"uid\":1}", "{\"name\":\"x\"}"), settings("json", "user:{id}:{x}", "", "")),
        RejectedRecordException.MISSING_KEY_FIELD);
    assertReason(() -> json.project(record("{\"id\":{\"a\":1}}", "{}"), users), RejectedRecordException.MISSING_KEY_FIELD);
  }

  private static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RejectedRecordException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static SourceRecord record(String key, String value) {
    return new SourceRecord("t", 0, 1, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private static ProjectionSettings settings(String format, String template, String fields, String renames) {
    Properties props = properties(format, template);
    props.setProperty("projection[p].fields", fields);
    props.setProperty("projection[p].renames", renames);
    return SettingsFile.parse(props, "test").projections().get(0);
  }

  private static Properties properties(String format, String template) {
    Properties props = new Properties();
    props.setProperty("kafka.bootstrap.servers", "localhost:9092");
    props.setProperty("redis.uri", "redis://localhost:7000");
    props.setProperty("projection[p].topic", "t");
    props.setProperty("projection[p].format", format);
    props.setProperty("projection[p].key-template", template);
    return props;
  }
}
