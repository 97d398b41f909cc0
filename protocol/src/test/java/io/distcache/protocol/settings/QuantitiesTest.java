package io.distcache.protocol.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value grammar every distcache configuration shares: byte sizes and durations, and what it refuses. */
class QuantitiesTest {

  @ParameterizedTest
  @ValueSource(strings = {"123=123", "5KB=5000", "5kib=5120", "3MB=3000000", "3MiB=3145728", "2GB=2000000000",
      "2GiB=2147483648", "7 B=7", " 9 mib =9437184"})
  void parsesByteSizes(String textAndBytes) {
    String[] parts = textAndBytes.split("=");
    assertThat(Quantities.byteSize(parts[0])).isEqualTo(Long.parseLong(parts[1]));
  }

  @ParameterizedTest
  @ValueSource(strings = {"500ms=PT0.5S", "10s=PT10S", "5m=PT5M", "1h=PT1H", "2d=PT48H", "PT10S=PT10S", "p1d=PT24H",
      "10 S=PT10S"})
  void parsesDurations(String textAndIso) {
    String[] parts = textAndIso.split("=");
    assertThat(Quantities.positiveDuration(parts[0])).isEqualTo(Duration.parse(parts[1]));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "-5s", "10", "10 parsecs", "PT-1S", ""})
  void refusesDurationsThatAreNotPositiveOrHaveNoUnit(String text) {
    assertThatThrownBy(() -> Quantities.positiveDuration(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected");
  }

  @Test
  void aDurationGivenInCodeMustBePositive() {
    assertThatThrownBy(() -> Quantities.requirePositive("leaseTime", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("leaseTime must be positive, was PT0S");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0=0", "42=42", "100000=100000", "100_000=100000", " 7 =7", "1_000_000_000_000=1000000000000"})
  void readsWholeNumbersWhoseDigitsUnderscoresMayGroup(String textAndValue) {
    String[] parts = textAndValue.split("=");
    assertThat(Quantities.wholeNumber(parts[0], 0)).isEqualTo(Long.parseLong(parts[1]));
  }

  @Test
  void refusesWholeNumbersBelowTheBoundOrNotWhole() {
    assertThatThrownBy(() -> Quantities.wholeNumber("0", 1)).hasMessageStartingWith("expected a whole number > 0");
    assertThatThrownBy(() -> Quantities.wholeNumber("-2", -1)).hasMessageStartingWith("expected a whole number >= -1");
    assertThatThrownBy(() -> Quantities.wholeNumber("1.5", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quantities.wholeNumber("ten", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quantities.wholeNumber("99999999999999999999", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void intWholeNumbersFitAnInt() {
    assertThat(Quantities.intWholeNumber("20_000", 0)).isEqualTo(20_000);
    assertThat(Quantities.intWholeNumber(String.valueOf(Integer.MAX_VALUE), 1)).isEqualTo(Integer.MAX_VALUE);
    assertThatThrownBy(() -> Quantities.intWholeNumber("2147483648", 0)).hasMessageContaining("at most 2147483647");
    assertThatThrownBy(() -> Quantities.intWholeNumber("0", 1)).hasMessageStartingWith("expected a whole number > 0");
  }
}
