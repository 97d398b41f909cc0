package io.distcache.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.protocol.codec.CodecLimits;
import io.distcache.protocol.settings.Setting;
import io.distcache.testkit.GeneratedDocs;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tables of docs/configuration.md are generated from {@link SettingsTable}: this test fails when they differ,
 * and rewrites them when run with {@code -Ddistcache.write-reference=true} (docs/configuration.md says how).
 */
class ConfigurationReferenceTest {

  private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

  @Test
  void theReferenceTablesAreTheSettingsTable() {
    Map<String, String> sections = new LinkedHashMap<>();
    sections.put("top-level keys", table("Key", SettingsTable.MANAGER));
    sections.put("cache settings", table("Setting", SettingsTable.CACHE));

    GeneratedDocs.Comparison reference = GeneratedDocs.check(REFERENCE, "SettingsTable", sections);
    assertThat(reference.current()).as("docs/configuration.md against SettingsTable; to regenerate it, run this"
        + " test with -D" + GeneratedDocs.WRITE + "=true").isEqualTo(reference.generated());
  }

  @Test
  void everyRowIsInTheListOfItsScope() throws IllegalAccessException {
    for (Field field : SettingsTable.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
        assertThat(all()).as(field.getName()).contains((Setting<?>) field.get(null));
      }
    }
  }

  @Test
  void aDefaultNoUserCouldWriteSaysWhyInItalics() {
    assertThat(all()).allSatisfy(setting -> assertThat(setting.shownDefault()).as(setting.key())
        .matches("`[^`]+`|\\*\\([^)]+\\)\\*"));
  }

  @Test
  void keysAreUniqueEachHasAnExampleAndTheCodecLimitsAreTheProtocolsOwnDefaults() {
    assertThat(all().stream().map(Setting::key)).doesNotHaveDuplicates();
    assertThat(all()).allSatisfy(setting -> assertThat(setting.example()).as(setting.key()).isNotBlank());
    assertThat(ProviderSettings.builtIn().codecLimits()).isEqualTo(CodecLimits.defaults());
  }

  private static List<Setting<?>> all() {
    return Stream.concat(SettingsTable.MANAGER.stream(), SettingsTable.CACHE.stream()).toList();
  }

  private static String table(String keyHeader, List<Setting<?>> settings) {
    StringBuilder table = new StringBuilder("| " + keyHeader + " | Default | Meaning | Example |\n|---|---|---|---|\n");
    for (Setting<?> setting : settings) {
      table.append("| `").append(setting.key()).append("` | ").append(setting.shownDefault()).append(" | ")
          .append(setting.meaning()).append(" | `").append(setting.example()).append("` |\n");
    }
    return table.toString();
  }
}
