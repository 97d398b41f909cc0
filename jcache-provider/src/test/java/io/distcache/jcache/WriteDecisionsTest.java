package io.distcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.expiry.ExpiryCalculator;
import io.distcache.jcache.redis.Mutation;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;

/** What each single-entry write decides from the entry's current state, without Redis. */
class WriteDecisionsTest {

  /** Entries live 60 s from creation; an update keeps the TTL they have. */
  private final WriteDecisions<String> decisions =
      new WriteDecisions<>(new ExpiryCalculator(new CreatedExpiryPolicy(new Duration(TimeUnit.SECONDS, 60))));
  private final Current<String> present = new Current<>("old", 7);

  @Test
  void putWritesThroughWithTheCreationTtlOverNothingAndKeepsTheTtlOfAnUpdate() {
    Plan<String, String> create = decisions.put("new").plan(null);
    assertThat(create.operation()).isEqualTo(Plan.Operation.SET);
    assertThat(create.writeThrough()).isEqualTo(Plan.WriteThrough.WRITE);
    assertThat(create.ttlMillis()).isEqualTo(60_000);
    assertThat(create.result()).isNull();

    Plan<String, String> update = decisions.put("new").plan(present);
    assertThat(update.ttlMillis()).isEqualTo(Mutation.KEEP_TTL);
    assertThat(update.result()).isEqualTo("old");
  }

  @Test
  void putIfAbsentWritesOnlyOverNothing() {
    assertThat(decisions.putIfAbsent("new").plan(null)).satisfies(plan -> {
      assertThat(plan.operation()).isEqualTo(Plan.Operation.SET);
      assertThat(plan.result()).isTrue();
    });
    assertThat(decisions.putIfAbsent("new").plan(present)).satisfies(plan -> {
      assertThat(plan.operation()).isEqualTo(Plan.Operation.NONE);
      assertThat(plan.result()).isFalse();
    });
  }

  @Test
  void conditionalRemoveAndReplaceActOnlyOnTheExpectedValueAndCountAMismatchAsAnAccess() {
    assertThat(decisions.removeIfEquals("old").plan(present).operation()).isEqualTo(Plan.Operation.DELETE);
    assertThat(decisions.removeIfEquals("other").plan(present).operation()).isEqualTo(Plan.Operation.ACCESS);
    assertThat(decisions.removeIfEquals("old").plan(null).operation()).isEqualTo(Plan.Operation.NONE);

    Plan<String, Boolean> replaced = decisions.replaceIfEquals("old", "new").plan(present);
    assertThat(replaced.value()).isEqualTo("new");
    assertThat(replaced.result()).isTrue();
    assertThat(decisions.replaceIfEquals("other", "new").plan(present).operation()).isEqualTo(Plan.Operation.ACCESS);
    assertThat(decisions.replaceIfEquals("old", "new").plan(null).result()).isFalse();
  }

  @Test
  void replaceAndGetAndReplaceActOnlyOnAnExistingEntry() {
    assertThat(decisions.replace("new").plan(null).operation()).isEqualTo(Plan.Operation.NONE);
    assertThat(decisions.replace("new").plan(present).result()).isTrue();
    assertThat(decisions.getAndReplace("new").plan(null).result()).isNull();
    assertThat(decisions.getAndReplace("new").plan(present).result()).isEqualTo("old");
  }

  @Test
  void unconditionalRemovesGoThroughTheWriterEvenForAnAbsentEntry() {
    assertThat(decisions.remove().plan(null).writeThrough()).isEqualTo(Plan.WriteThrough.DELETE);
    assertThat(decisions.remove().plan(present).result()).isSameAs(present);
    assertThat(decisions.getAndRemove().plan(present).result()).isEqualTo("old");
    assertThat(decisions.getAndRemove().plan(null).result()).isNull();
  }
}
