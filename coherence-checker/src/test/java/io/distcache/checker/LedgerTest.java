package io.distcache.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ledger's verdicts on hand-made histories (times in milliseconds from an arbitrary origin). */
class LedgerTest {

  private static final long BOUND = ms(5);
  private static final long ORIGIN = System.nanoTime();

  private final Ledger ledger = new Ledger(2, 2, BOUND, ms(1000));

  @Test
  void readWithinTheBoundOfANewerWriteIsFresh() {
    ledger.written(0, 1, at(0));
    ledger.written(0, 2, at(10));
    ledger.read(0, 0, 1, at(14), at(14));
    assertThat(ledger.tally().violations()).isZero();
  }

  @Test
  void readOfAnOlderVersionBeyondTheBoundIsAViolation() {
    ledger.written(0, 1, at(0));
    ledger.written(0, 2, at(10));
    ledger.read(1, 0, 1, at(16), at(16));
    Ledger.Tally tally = ledger.tally();
    assertThat(tally.violations()).isEqualTo(1);
    assertThat(tally.samples()).singleElement().satisfies(violation -> {
      assertThat(violation.edge()).isEqualTo(1);
      assertThat(violation.key()).isEqualTo("k0");
      assertThat(violation.returned()).isEqualTo(1);
      assertThat(violation.expected()).isEqualTo(2);
    });
  }

  @Test
  void absentKeyAfterAnAcknowledgedWriteIsAViolation() {
    ledger.written(1, 1, at(0));
    ledger.read(0, 1, 0, at(6), at(6));
    assertThat(ledger.tally().violations()).isEqualTo(1);
  }

  @Test
  void staleReadInsideAFaultWindowOrItsGraceIsOnlyTolerated() {
    long now = System.nanoTime();
    ledger.written(0, 1, now - ms(100));
    ledger.written(0, 2, now - ms(50));
    Ledger.FaultWindow window = ledger.faultBegins("test", ms(10_000));
    window.close();
    ledger.read(0, 0, 1, System.nanoTime(), System.nanoTime());
    Ledger.Tally tally = ledger.tally();
    assertThat(tally.violations()).isZero();
    assertThat(tally.tolerated()).isEqualTo(1);
  }

  @Test
  void afterDataLossAbsentIsRightAndOldValuesAreStale() {
    ledger.written(0, 1, at(0));
    ledger.dataLost();
    long later = System.nanoTime() + BOUND + ms(1);
    ledger.read(0, 0, 0, later, later);
    assertThat(ledger.tally().violations()).as("absent after the loss").isZero();
    ledger.read(0, 0, 1, later, later);
    assertThat(ledger.tally().violations()).as("a value Redis lost").isEqualTo(1);
    assertThat(ledger.expectedInRedis(0)).isZero();
    ledger.written(0, 2, System.nanoTime());
    assertThat(ledger.expectedInRedis(0)).isEqualTo(2);
  }

  @Test
  void anAbsentKeyReadAcrossTheStartOfADataLossIsRight() {
    long now = System.nanoTime();
    ledger.written(0, 1, now - ms(100));
    long began = System.nanoTime();
    ledger.dataLost();
    long ended = System.nanoTime() + 1;
    ledger.read(0, 0, 0, began, ended);
    assertThat(ledger.tally().violations()).isZero();
  }

  @Test
  void anEdgeReadingAnOlderVersionThanItAlreadyReadRegressesEvenInsideAFault() {
    ledger.written(0, 1, at(0));
    ledger.written(0, 2, at(1));
    ledger.read(0, 0, 2, at(2), at(2));
    try (Ledger.FaultWindow window = ledger.faultBegins("test", ms(10_000))) {
      ledger.read(0, 0, 1, System.nanoTime(), System.nanoTime());
      ledger.read(1, 0, 1, System.nanoTime(), System.nanoTime());
    }
    Ledger.Tally tally = ledger.tally();
    assertThat(tally.regressions()).as("edge 0 went back; edge 1 never read v2").isEqualTo(1);
    assertThat(tally.regressionSamples()).singleElement().satisfies(regression -> {
      assertThat(regression.edge()).isZero();
      assertThat(regression.returned()).isEqualTo(1);
    });
  }

  @Test
  void anAbsentKeyAfterADataLossIsNoRegression() {
    ledger.written(0, 1, at(0));
    ledger.read(0, 0, 1, at(1), at(1));
    ledger.dataLost();
    ledger.read(0, 0, 0, System.nanoTime(), System.nanoTime());
    assertThat(ledger.tally().regressions()).isZero();
    ledger.read(1, 0, 0, System.nanoTime(), System.nanoTime());
    // The first write after a loss may have raced it (applied before, acknowledged after); the second cannot.
    ledger.written(1, 1, System.nanoTime());
    ledger.written(1, 2, System.nanoTime());
    ledger.read(0, 1, 2, System.nanoTime(), System.nanoTime());
    ledger.read(0, 1, 0, System.nanoTime(), System.nanoTime());
    assertThat(ledger.tally().regressions()).as("absent without a loss after v2 was read").isEqualTo(1);
  }

  @Test
  void propagationIsMeasuredFromAckToFirstReadOfTheVersion() {
    ledger.written(0, 1, at(0));
    ledger.read(0, 0, 1, at(2), at(3));
    ledger.read(0, 0, 1, at(4), at(5));
    Latencies.Summary propagation = ledger.tally().steadyPropagation();
    assertThat(propagation.count()).isEqualTo(1);
    assertThat(propagation.maxNanos()).isEqualTo(ms(3));
  }

  @Test
  void longCallsCountAsBlocked() {
    ledger.call(ms(999));
    ledger.call(ms(1001));
    assertThat(ledger.tally().blockedCalls()).isEqualTo(1);
    assertThat(ledger.tally().longestCallNanos()).isEqualTo(ms(1001));
  }

  @Test
  void versionsMustBeAcknowledgedInOrder() {
    ledger.written(0, 1, at(0));
    assertThatThrownBy(() -> ledger.written(0, 3, at(1))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void readsAreJudgedOnTopOfThePlatformsPauses() {
    ledger.written(0, 1, at(0));
    ledger.written(0, 2, at(10));
    ledger.read(0, 0, 1, at(30), at(30));
    ledger.read(1, 0, 1, at(50), at(50));
    assertThat(ledger.tally().withinBound(0.5)).as("both stale beyond 5 ms, no pause measured").isFalse();
    pauses(100, ms(0));
    pauses(1, ms(15));
    Ledger.Tally tally = ledger.tally();
    assertThat(tally.violations()).isEqualTo(2);
    assertThat(tally.allowanceNanos()).as("two wake-ups, each held up beyond 14.9 ms for 0.1 ms of 116 ms")
        .isEqualTo(2 * (ms(15) - us(100)));
    assertThat(tally.violationsBeyondAllowance()).as("stale 40 ms; 20 ms is within 5 + 29.8 ms").isEqualTo(1);
    assertThat(tally.withinBound(0.5)).isTrue();
    assertThat(tally.withinBound(0.999)).isFalse();
  }

  @Test
  void pausesAreWeightedByTheTimeTheyLast() {
    pauses(1000, ms(0));
    pauses(1, ms(20));
    assertThat(ledger.tally().allowanceNanos()).as("a 20 ms pause in 1,021 ms: beyond 19 ms for 1 ms, 0.1 %%")
        .isEqualTo(Ledger.WAKE_UPS_PER_INVALIDATION * ms(19));
    pauses(100_000, ms(0));
    assertThat(ledger.tally().allowanceNanos()).as("the same pause in ~100 s: 0.02 %% of the time").isZero();
  }

  @Test
  void theAllowanceHasALimit() {
    pauses(10, ms(0));
    pauses(10, ms(900));
    assertThat(ledger.tally().allowanceNanos()).isEqualTo(Ledger.ALLOWANCE_LIMIT_NANOS);
  }

  @Test
  void anAbsentReadIsStaleSinceTheFirstVersionItMissed() {
    ledger.written(0, 1, at(0));
    ledger.written(0, 2, at(20));
    ledger.read(0, 0, 0, at(30), at(30));
    assertThat(ledger.tally().longestStalenessNanos()).as("since v1, not v2").isEqualTo(ms(30));
  }

  @Test
  void wakeUpsDueInsideAFaultWindowAreLeftOut() {
    try (Ledger.FaultWindow window = ledger.faultBegins("test", ms(10_000))) {
      pauses(1, ms(30));
    }
    assertThat(ledger.tally().allowanceNanos()).isZero();
    assertThat(ledger.tally().wakeUpDelays().count()).isZero();
  }

  /** Records {@code count} wake-ups, each {@code lateNanos} late. */
  private void pauses(int count, long lateNanos) {
    for (int i = 0; i < count; i++) {
      long due = System.nanoTime();
      ledger.wokeUp(due, due + lateNanos);
    }
  }

  private static long at(long millis) {
    return ORIGIN + ms(millis);
  }

  private static long us(long micros) {
    return TimeUnit.MICROSECONDS.toNanos(micros);
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
