package io.distcache.jcache.counters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerThreadCounterTest {

  @Test
  void countsEveryIncrementOfLiveAndEndedThreads() throws InterruptedException {
    PerThreadCounter counter = new PerThreadCounter();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(new Thread(() -> {
        for (int i = 0; i < 100_000; i++) {
          counter.increment();
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    counter.increment();

    assertThat(counter.sum()).isEqualTo(800_001);
    assertThat(counter.sum()).as("ended threads' counts are kept once folded").isEqualTo(800_001);
  }

  @Test
  void manyShortLivedThreadsKeepTheirCounts() throws InterruptedException {
    PerThreadCounter counter = new PerThreadCounter();
    for (int t = 0; t < 3_000; t++) {
      Thread thread = new Thread(counter::increment);
      thread.start();
      thread.join();
    }
    assertThat(counter.sum()).isEqualTo(3_000);
  }
}
