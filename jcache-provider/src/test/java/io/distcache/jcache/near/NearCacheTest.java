package io.distcache.jcache.near;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NearCacheTest {

  private final NearCache<String> near = new NearCache<>(1_000, 1_000_000, Duration.ofMinutes(1), Duration.ofMinutes(1), true);

  @Test
  void aFillOlderThanTheCachedValueIsIgnored() {
    near.fill("k", "new", 5, -1, 10);
    near.fill("k", "old", 4, -1, 10);
    assertThat(near.get("k").value()).isEqualTo("new");
  }

  @Test
  void anInvalidationLeavesAMarkerThatRefusesOlderFills() {
    near.fill("k", "v3", 3, -1, 10);
    near.invalidate("k", 7);
    assertThat(near.get("k")).isNull();

    near.fill("k", "v6 from a lagging replica", 6, -1, 10);
    assertThat(near.get("k")).isNull();

    near.fill("k", "v7", 7, -1, 10);
    assertThat(near.get("k").value()).isEqualTo("v7");
  }

  @Test
  void theChangeRecordOfOwnWriteArrivingFirstDoesNotBlockInstallingIt() {
    near.invalidate("k", 9);
    near.fill("k", "mine", 9, -1, 10);
    assertThat(near.get("k").value()).isEqualTo("mine");
  }

  @Test
  void anInvalidationOlderThanTheCachedValueKeepsIt() {
    near.fill("k", "v9", 9, -1, 10);
    near.invalidate("k", 8);
    assertThat(near.get("k").value()).isEqualTo("v9");
  }

  @Test
  void aClearDropsOnlyOlderEntriesAndRefusesOlderFills() {
    near.fill("before", "a", 3, -1, 10);
    near.fill("after", "b", 12, -1, 10);
    near.clear(10);
    assertThat(near.get("before")).isNull();
    assertThat(near.get("after").value()).isEqualTo("b");

    near.fill("before", "a from a lagging replica", 3, -1, 10);
    assertThat(near.get("before")).isNull();
  }

  @Test
  void aResetForgetsVersionsSoARebuiltNamespaceCanBeCachedAgain() {
    near.fill("k", "v100", 100, -1, 10);
    near.clear(100);
    near.reset();
    near.fill("k", "v1 after FLUSHALL", 1, -1, 10);
    assertThat(near.get("k").value()).isEqualTo("v1 after FLUSHALL");
  }

  @Test
  void retimeAppliesOnlyToTheSameVersion() {
    near.fill("k", "v1", 1, 60_000, 10);
    near.retime("k", 1, 1);
    near.retime("k", 2, 60_000);
    near.cleanUp();
    await();
    assertThat(near.get("k")).isNull();
  }

  private static void await() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
