package io.distcache.checker;

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
 * The options table of docs/coherence-checker.md is generated from {@link CheckerSettingsTable}: this test fails when
 * they differ, and rewrites it when run with {@code -Ddistcache.write-reference=true}.
 */
class CheckerReferenceTest {

  private static final Path GUIDE = Path.of("..", "docs", "coherence-checker.md");

  @Test
  void theOptionsTableIsTheSettingsTable() {
    StringBuilder table = new StringBuilder("| option | default | meaning |\n|---|---|---|\n");
    CheckerSettingsTable.RUN.forEach(setting -> row(table, setting));
    CheckerSettingsTable.SOAK.forEach(setting -> row(table, setting));

    GeneratedDocs.Comparison guide =
        GeneratedDocs.check(GUIDE, "CheckerSettingsTable", Map.of("options", table.toString()));
    assertThat(guide.current()).as("docs/coherence-checker.md against CheckerSettingsTable; to regenerate it, run this"
        + " test with -D" + GeneratedDocs.WRITE + "=true").isEqualTo(guide.generated());
  }

  @Test
  void everyRowIsAnOptionOfACommand() throws IllegalAccessException {
    List<Object> listed = new ArrayList<>(CheckerSettingsTable.RUN);
    listed.addAll(CheckerSettingsTable.SOAK);
    for (Field field : CheckerSettingsTable.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
        assertThat(listed).as(field.getName()).contains(field.get(null));
      }
    }
    assertThat(listed).doesNotHaveDuplicates();
  }

  private static void row(StringBuilder table, Setting<?> setting) {
    table.append("| `").append(CheckerSettingsTable.option(setting)).append("` | ").append(setting.shownDefault())
        .append(" | ").append(setting.meaning()).append(" |\n");
  }
}
