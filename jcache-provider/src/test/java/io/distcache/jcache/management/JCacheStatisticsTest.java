package io.distcache.jcache.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class JCacheStatisticsTest {

  private final JCacheStatistics statistics = new JCacheStatistics();

  @Test
  void startsDisabledWithEveryFigureZeroAndNoNaN() {
    assertThat(statistics.isEnabled()).isFalse();
    assertAllZero();
  }

  @Test
  void recordsNothingWhileDisabled() {
    recordOneOfEach();

    assertAllZero();
  }

  @Test
  void timesAnOperationFromItsStartOnlyWhileEnabled() throws InterruptedException {
    assertThat(statistics.startTiming()).as("no clock read while disabled").isZero();
    statistics.recordGetTimeSince(System.nanoTime() - 5_000_000);
    assertThat(statistics.getAverageGetTime()).isZero();

    statistics.setEnabled(true);
    statistics.recordHits(1);
    statistics.recordPuts(1);
    statistics.recordRemovals(1);
    long start = statistics.startTiming();
    Thread.sleep(2);
    statistics.recordGetTimeSince(start);
    statistics.recordPutTimeSince(start);
    statistics.recordRemoveTimeSince(start);

    assertThat(statistics.getAverageGetTime()).as("µs").isGreaterThanOrEqualTo(2_000f);
    assertThat(statistics.getAveragePutTime()).isGreaterThanOrEqualTo(2_000f);
    assertThat(statistics.getAverageRemoveTime()).isGreaterThanOrEqualTo(2_000f);
  }

  @Test
  void countsGetsAsHitsPlusMisses() {
    statistics.setEnabled(true);
    statistics.recordHits(2);
    statistics.recordMisses(1);
    statistics.recordPuts(4);
    statistics.recordRemovals(5);
    statistics.recordEvictions(6);

    assertThat(statistics.getCacheHits()).isEqualTo(2);
    assertThat(statistics.getCacheMisses()).isEqualTo(1);
    assertThat(statistics.getCacheGets()).isEqualTo(3);
    assertThat(statistics.getCachePuts()).isEqualTo(4);
    assertThat(statistics.getCacheRemovals()).isEqualTo(5);
    assertThat(statistics.getCacheEvictions()).isEqualTo(6);
    assertThat(statistics.getCacheHitPercentage()).isCloseTo(66.667f, within(0.001f));
    assertThat(statistics.getCacheMissPercentage()).isCloseTo(33.333f, within(0.001f));
  }

  @Test
  void reportsExactPercentagesForEvenSplits() {
    statistics.setEnabled(true);
    statistics.recordMisses(1);
    assertThat(statistics.getCacheMissPercentage()).isEqualTo(100f);
    assertThat(statistics.getCacheHitPercentage()).isEqualTo(0f);

    statistics.recordHits(1);
    assertThat(statistics.getCacheHitPercentage()).isEqualTo(50f);
    assertThat(statistics.getCacheMissPercentage()).isEqualTo(50f);
  }

  @Test
  void averagesTimesPerCountedOperationInMicroseconds() {
    statistics.setEnabled(true);
    statistics.recordHits(2);
    statistics.recordMisses(1);
    statistics.recordGetTime(1_000);
    statistics.recordGetTime(2_000);
    statistics.recordPuts(2);
    statistics.recordPutTime(3_001);
    statistics.recordRemoveTime(7_000);

    assertThat(statistics.getAverageGetTime()).isEqualTo(1f);
    assertThat(statistics.getAveragePutTime()).isEqualTo(1.5005f);
    // Time recorded, but no removal counted yet: still 0 rather than infinity.
    assertThat(statistics.getAverageRemoveTime()).isZero();

    statistics.recordRemovals(2);
    assertThat(statistics.getAverageRemoveTime()).isEqualTo(3.5f);
  }

  @Test
  void disablingKeepsTheFiguresAndClearResetsThem() {
    statistics.setEnabled(true);
    recordOneOfEach();
    statistics.setEnabled(false);

    assertThat(statistics.getCacheGets()).isEqualTo(2);
    assertThat(statistics.getAverageGetTime()).isEqualTo(0.5f);

    statistics.clear();

    assertAllZero();
    assertThat(statistics.isEnabled()).isFalse();
  }

  private void recordOneOfEach() {
    statistics.recordHits(1);
    statistics.recordMisses(1);
    statistics.recordPuts(1);
    statistics.recordRemovals(1);
    statistics.recordEvictions(1);
    statistics.recordGetTime(1_000);
    statistics.recordPutTime(1_000);
    statistics.recordRemoveTime(1_000);
  }

  private void assertAllZero() {
    assertThat(statistics.getCacheHits()).isZero();
    assertThat(statistics.getCacheMisses()).isZero();
    assertThat(statistics.getCacheGets()).isZero();
    assertThat(statistics.getCachePuts()).isZero();
    assertThat(statistics.getCacheRemovals()).isZero();
    assertThat(statistics.getCacheEvictions()).isZero();
    // The TCK compares with assertEquals(0f, ...): NaN or -0f would fail it.
    assertThat(statistics.getCacheHitPercentage()).isEqualTo(0f);
    assertThat(statistics.getCacheMissPercentage()).isEqualTo(0f);
    assertThat(statistics.getAverageGetTime()).isEqualTo(0f);
    assertThat(statistics.getAveragePutTime()).isEqualTo(0f);
    assertThat(statistics.getAverageRemoveTime()).isEqualTo(0f);
  }
}
