package io.distcache.producer.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.protocol.settings.Setting;
import io.distcache.testkit.GeneratedDocs;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration table of docs/producer.md is generated from {@link ProducerSettingsTable}: this test fails when
 * they differ, and rewrites it when run with {@code -Ddistcache.write-reference=true} (docs/producer.md says how).
 */
class ProducerReferenceTest {

  private static final Path GUIDE = Path.of("..", "docs", "producer.md");
  private static final String PROJECTION = "projection[<name>].";

  @Test
  void theReferenceTableIsTheSettingsTable() {
    StringBuilder table = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
    row(table, "", ProducerSettingsTable.KAFKA);
    ProducerSettingsTable.TOP_LEVEL.forEach(setting -> row(table, "", setting));
    ProducerSettingsTable.PROJECTION.forEach(setting -> row(table, PROJECTION, setting));

    GeneratedDocs.Comparison guide =
        GeneratedDocs.check(GUIDE, "ProducerSettingsTable", Map.of("configuration keys", table.toString()));
    assertThat(guide.current()).as("docs/producer.md against ProducerSettingsTable; to regenerate it, run this test"
        + " with -D" + GeneratedDocs.WRITE + "=true").isEqualTo(guide.generated());
  }

  @Test
  void everyRowIsInTheListOfItsScope() throws IllegalAccessException {
    List<Object> listed = new ArrayList<>(ProducerSettingsTable.TOP_LEVEL);
    listed.addAll(ProducerSettingsTable.PROJECTION);
    listed.add(ProducerSettingsTable.KAFKA);
    for (Field field : ProducerSettingsTable.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
        assertThat(listed).as(field.getName()).contains(field.get(null));
      }
    }
    assertThat(listed).doesNotHaveDuplicates();
  }

  private static void row(StringBuilder table, String prefix, Setting<?> setting) {
    table.append("| `").append(prefix).append(setting.key()).append("` | ").append(setting.shownDefault())
        .append(" | ").append(setting.meaning()).append(" |\n");
  }
}
