package io.distcache.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    assertThatThrownBy(() -> new InstancePool<>((1 << 30) + 1, this::create))
        .isInstanceOf(IllegalArgumentException.class);

    InstancePool<Object> pool = new InstancePool<>(2, this::create);
    List<Object> borrowed = List.of(pool.obtain(), pool.obtain(), pool.obtain());
    borrowed.forEach(pool::free);

    assertThat(pool.available()).isEqualTo(2);
    assertThat(List.of(pool.obtain(), pool.obtain())).isSubsetOf(borrowed).doesNotHaveDuplicates();
    assertThat(pool.available()).isZero();
  }

  @Test
  void noInstanceIsEverLentToTwoThreadsAtOnce() throws Exception {
    InstancePool<AtomicInteger> pool = new InstancePool<>(4, AtomicInteger::new);
    AtomicInteger sharedUses = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        workers.add(threads.submit(() -> {
          start.await();
          for (int i = 0; i < 20_000; i++) {
            AtomicInteger borrowers = pool.obtain();
            if (borrowers.incrementAndGet() != 1) {
              sharedUses.incrementAndGet();
            }
            Thread.yield(); // hold it a moment, as a decode does
            borrowers.decrementAndGet();
            pool.free(borrowers);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(1, TimeUnit.MINUTES);
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(sharedUses).hasValue(0);
    assertThat(pool.available()).isBetween(1, 4);
  }

  private Object create() {
    created.incrementAndGet();
    return new Object();
  }
}
