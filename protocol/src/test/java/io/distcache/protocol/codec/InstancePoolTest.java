package io.distcache.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Instances are lent to one borrower at a time, reused when given back, and kept up to the capacity only. */
class InstancePoolTest {

  private final AtomicInteger created = new AtomicInteger();

  @Test
  void anEmptyPoolCreatesAndAThreadTakesBackWhatItGave() {
    InstancePool<Object> pool = new InstancePool<>(4, this::create);

    Object first = pool.obtain();
    pool.free(first);

    assertThat(pool.obtain()).isSameAs(first);
    assertThat(pool.obtain()).isNotSameAs(first);
    assertThat(created).hasValue(2);
  }

  @Test
  void theCapacityIsRoundedUpToAPowerOfTwoAndAFullPoolDropsWhatItIsGiven() {
    assertThat(new InstancePool<>(1, this::create).capacity()).isEqualTo(1);
    assertThat(new InstancePool<>(8, this::create).capacity()).isEqualTo(8);
    assertThat(new InstancePool<>(9, this::create).capacity()).isEqualTo(16);
    assertThatThrownBy(() -> new InstancePool<>(0, this::create)).isInstanceOf(IllegalArgumentException.class);

    InstancePool<Object> pool = new InstancePool<>(2, this::create);
    List<Object> borrowed = List.of(pool.obtain(), pool.obtain(), pool.obtain());
    borrowed.forEach(pool::free);

    assertThat(pool.available()).isEqualTo(2);
    assertThat(List.of(pool.obtain(), pool.obtain())).isSubsetOf(borrowed).doesNotHaveDuplicates();
    assertThat(pool.available()).isZero();
  }

  @Test
  void noInstanceIsEverLentToTwoThreadsAtOnce() throws InterruptedException {
    InstancePool<AtomicBoolean> pool = new InstancePool<>(4, () -> new AtomicBoolean());
    AtomicInteger sharedUses = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(new Thread(() -> {
        awaitQuietly(start);
        for (int i = 0; i < 20_000; i++) {
          AtomicBoolean inUse = pool.obtain();
          if (!inUse.compareAndSet(false, true)) {
            sharedUses.incrementAndGet();
          }
          inUse.set(false);
          pool.free(inUse);
        }
      }));
    }
    threads.forEach(Thread::start);
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(sharedUses).hasValue(0);
    assertThat(pool.available()).isBetween(1, 4);
  }

  private Object create() {
    created.incrementAndGet();
    return new Object();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
