package io.distcache.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line: usage errors are refused before anything starts; a short run passes. */
class CheckerMainTest {

  @Test
  void durationsNeedAUnit() {
    assertThat(CheckerMain.duration(Map.of("d", "250ms"), "d", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
    assertThat(CheckerMain.duration(Map.of("d", "10m"), "d", Duration.ZERO)).isEqualTo(Duration.ofMinutes(10));
    assertThat(CheckerMain.duration(Map.of(), "d", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    // the grammar of the provider's and producer's settings
    assertThat(CheckerMain.duration(Map.of("d", "PT90S"), "d", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
    assertThat(CheckerMain.duration(Map.of("d", "1d"), "d", Duration.ZERO)).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> CheckerMain.duration(Map.of("d", "0s"), "d", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--d").hasMessageContaining("positive");
    assertThatThrownBy(() -> CheckerMain.duration(Map.of("d", "10"), "d", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--d");
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

  private static String ceiling() {
    return TestOptions.CEILING.toMillis() + "ms";
  }
}
