package io.distcache.jcache.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One holder per key at a time, reentrant, and a wait that ends in the caller's exception instead of a hang. */
class KeyLocksTest {

  private final KeyLocks locks = new KeyLocks();

  @Test
  void aWaiterGivesUpAfterItsWaitWhileAnotherThreadHoldsTheKey() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService holder = Executors.newSingleThreadExecutor();
    try {
      Future<String> held = holder.submit(() -> locks.callLocked("k", Duration.ofSeconds(5), IllegalStateException::new,
          () -> {
            holding.countDown();
            await(release);
            return "done";
          }));
      assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

      assertThatThrownBy(() -> locks.callLocked("k", Duration.ofMillis(50),
          () -> new IllegalStateException("timed out"), () -> "never"))
          .isInstanceOf(IllegalStateException.class).hasMessage("timed out");
      assertThat(locks.callLocked("other", Duration.ofMillis(50), IllegalStateException::new, () -> "free"))
          .as("another key (another stripe)").isEqualTo("free");

      release.countDown();
      assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo("done");
      assertThat(locks.callLocked("k", Duration.ofMillis(50), IllegalStateException::new, () -> "after"))
          .isEqualTo("after");
    } finally {
      release.countDown();
      holder.shutdownNow();
    }
  }

  @Test
  void theHolderMayTakeItsKeyAgain() {
    assertThat(locks.callLocked("k", Duration.ofMillis(50), IllegalStateException::new,
        () -> locks.callLocked("k", Duration.ofMillis(50), IllegalStateException::new, () -> "nested")))
        .isEqualTo("nested");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
