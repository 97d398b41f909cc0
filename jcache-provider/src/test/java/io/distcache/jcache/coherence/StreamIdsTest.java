package io.distcache.jcache.coherence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamIdsTest {

  @Test
  void comparesTimeThenSequenceNumerically() {
    assertThat(StreamIds.compare("1700000000000-5", "1700000000000-12")).isNegative();
    assertThat(StreamIds.compare("1700000000001-0", "1700000000000-99")).isPositive();
    assertThat(StreamIds.compare("99-1", "100-0")).isNegative();
    assertThat(StreamIds.compare("5-5", "5-5")).isZero();
    assertThat(StreamIds.compare("0-0", "1-0")).isNegative();
  }
}
