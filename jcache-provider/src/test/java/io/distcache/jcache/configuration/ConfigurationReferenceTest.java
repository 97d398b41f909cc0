package io.distcache.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.protocol.codec.CodecLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tables of docs/configuration.md are generated from {@link SettingsTable}: this test fails when they differ,
 * and rewrites them when run with {@code -Ddistcache.write-reference=true} (docs/configuration.md says how).
 */
class ConfigurationReferenceTest {

  private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");
  private static final String WRITE = "distcache.write-reference";

  @Test
  void theReferenceTablesAreTheSettingsTable() throws IOException {
    String document = Files.readString(REFERENCE, StandardCharsets.UTF_8);
    String generated = withTable(withTable(document, "top-level keys", "Key", SettingsTable.MANAGER),
        "cache settings", "Setting", SettingsTable.CACHE);
    if (Boolean.getBoolean(WRITE)) {
      Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
    }
    assertThat(document).as("docs/configuration.md against SettingsTable; to regenerate it, run this test with -D"
        + WRITE + "=true").isEqualTo(generated);
  }

  @Test
  void everyDefaultThatIsWrittenLikeAValueReadsAsThatValue() {
    for (Setting<?> setting : all()) {
      String shown = setting.shownDefault();
      if (shown.startsWith("`")) {
        assertThat(setting.parse(shown.substring(1, shown.length() - 1))).as(setting.key())
            .isEqualTo(setting.defaultValue());
      } else {
        assertThat(shown).as(setting.key()).startsWith("*(").endsWith(")*");
      }
    }
  }

  @Test
  void keysAreUniqueAndTheCodecLimitsAreTheProtocolsOwnDefaults() {
    assertThat(all().stream().map(Setting::key)).doesNotHaveDuplicates();
    assertThat(ProviderSettings.builtIn().codecLimits()).isEqualTo(CodecLimits.defaults());
  }

  private static List<Setting<?>> all() {
    return Stream.concat(SettingsTable.MANAGER.stream(), SettingsTable.CACHE.stream()).toList();
  }

  /** {@code document} with the table between the markers named {@code name} replaced by the rows of {@code settings}. */
  private static String withTable(String document, String name, String keyHeader, List<Setting<?>> settings) {
    String begin = "<!-- generated from SettingsTable: " + name + " -->\n";
    String end = "<!-- end of generated " + name + " -->";
    int from = document.indexOf(begin);
    int to = document.indexOf(end);
    assertThat(from).as("marker %s in %s", begin.strip(), REFERENCE).isNotNegative();
    assertThat(to).as("marker %s in %s", end, REFERENCE).isGreaterThan(from);
    return document.substring(0, from + begin.length()) + table(keyHeader, settings) + document.substring(to);
  }

  private static String table(String keyHeader, List<Setting<?>> settings) {
    Function<Setting<?>, String> row = setting -> "| `" + setting.key() + "` | " + setting.shownDefault() + " | "
        + setting.meaning() + " | `" + setting.example() + "` |\n";
    StringBuilder table = new StringBuilder("| " + keyHeader + " | Default | Meaning | Example |\n|---|---|---|---|\n");
    settings.forEach(setting -> table.append(row.apply(setting)));
    return table.toString();
  }
}
