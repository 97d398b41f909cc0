package io.distcache.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The command line: usage errors are refused before anything starts; a short run passes. */
class CheckerMainTest {

  @Test
  void durationsNeedAUnit() {
    assertThat(duration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(duration("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(CheckerCommandLine.parse("run").get(CheckerSettingsTable.BOUND)).isEqualTo(Duration.ofMillis(100));
    // the grammar of the provider's and producer's settings
    assertThat(duration("PT90S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(duration("1d")).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> duration("0s"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bound").hasMessageContaining("positive");
    assertThatThrownBy(() -> duration("10"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bound");
  }

  @Test
  void everyOptionHasItsRowsDefaultUnlessGiven() {
    CheckerCommandLine run = CheckerCommandLine.parse("run", "--edges", "3", "--read-rate", "0");
    assertThat(run.get(CheckerSettingsTable.EDGES)).isEqualTo(3);
    assertThat(run.get(CheckerSettingsTable.READ_RATE)).isZero();
    assertThat(run.get(CheckerSettingsTable.KEYS)).isEqualTo(32);
    assertThat(run.get(CheckerSettingsTable.WRITE_RATE)).isEqualTo(2000);
    assertThat(run.given(CheckerSettingsTable.DURATION)).isEmpty();
    CheckerCommandLine soak = CheckerCommandLine.parse("soak", "--seed", "-42", "--faults", "flushall, kill-master");
    assertThat(soak.get(CheckerSettingsTable.SEED)).isEqualTo(-42L);
    assertThat(CheckerCommandLine.parse("soak", "--seed", "1_000").get(CheckerSettingsTable.SEED)).isEqualTo(1000L);
    assertThat(soak.get(CheckerSettingsTable.FAULTS)).containsExactly("flushall", "kill-master");
    assertThat(CheckerCommandLine.parse("soak").get(CheckerSettingsTable.FAULTS)).isEqualTo(FaultInjector.FAULTS);
  }

  @Test
  void countsAndRatesAreWholeNumbersInTheirRange() {
    assertThat(CheckerCommandLine.parse("run", "--read-rate", "20_000").get(CheckerSettingsTable.READ_RATE))
        .isEqualTo(20_000);
    assertThatThrownBy(() -> CheckerCommandLine.parse("run", "--edges", "0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--edges '0'").hasMessageContaining("> 0");
    assertThatThrownBy(() -> CheckerCommandLine.parse("run", "--read-rate", "-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--read-rate").hasMessageContaining(">= 0");
    assertThatThrownBy(() -> CheckerCommandLine.parse("run", "--keys", "many"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--keys 'many'");
    assertThatThrownBy(() -> CheckerCommandLine.parse("run", "--keys", "8", "--keys", "9"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("given twice");
  }

  @Test
  void theUsageListsEveryOption() {
    String usage = CheckerMain.usage();
    CheckerSettingsTable.RUN.forEach(setting -> assertThat(usage).contains(CheckerSettingsTable.option(setting)));
    CheckerSettingsTable.SOAK.forEach(setting -> assertThat(usage).contains(CheckerSettingsTable.option(setting)));
  }

  @Test
  void unknownCommandsOptionsAndFaultsAreRefused() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CheckerMain.execute(new String[] {"walk"}, out))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CheckerMain.execute(new String[] {"run", "--seed", "1"}, out))
        .as("soak-only option").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--seed");
    assertThatThrownBy(() -> CheckerMain.execute(new String[] {"soak", "--faults", "meteor"}, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("meteor");
    assertThatThrownBy(() -> CheckerMain.execute(new String[] {"run", "--edges"}, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> CheckerMain.execute(new String[] {"soak", "--cluster-masters", "3"}, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run only");
  }

  @Test
  void shortRunPrintsAPassingReport() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    // The command's verdict is a maximum over every read, so it is held to the suites' ceiling, not their bound.
    int status = CheckerMain.execute(new String[] {"run", "--duration", "2s", "--bound", ceiling(), "--keys", "8"},
        new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String printed = buffer.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("coherence checker: PASSED", "propagation", "heap used");
    assertThat(status).as(printed).isZero();
  }

  @Test
  void shortRunOnAClusterPrintsAPassingReport() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int status = CheckerMain.execute(new String[] {"run", "--duration", "2s", "--bound", ceiling(), "--keys", "8",
        "--cluster-masters", "3", "--replicas", "1"}, new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String printed = buffer.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("RedisCluster", "coherence checker: PASSED", "propagation");
    assertThat(status).as(printed).isZero();
  }

  private static Duration duration(String text) {
    return CheckerCommandLine.parse("run", "--bound", text).get(CheckerSettingsTable.BOUND);
  }

  private static String ceiling() {
    return TestOptions.CEILING.toMillis() + "ms";
  }
}
