package io.distcache.benchmarks.data;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Random access over the data set: each benchmark thread walks its own precomputed sequence of key
 * numbers, so choosing a key costs an array read, the same for every row.
 */
@State(Scope.Thread)
public class RandomKeys {

  private static final int SEQUENCE_LENGTH = 1 << 16;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private int[] sequence;
  private int cursor;

  /** Draws this thread's sequence; seeds differ per thread but repeat from run to run. */
  @Setup
  public void draw() {
    SplittableRandom random = new SplittableRandom(42L + THREADS.getAndIncrement());
    sequence = new int[SEQUENCE_LENGTH];
    for (int i = 0; i < SEQUENCE_LENGTH; i++) {
      sequence[i] = random.nextInt(Dataset.SIZE);
    }
  }

  /** The next key number. */
  public int nextIndex() {
    int index = sequence[cursor];
    cursor = (cursor + 1) & (SEQUENCE_LENGTH - 1);
    return index;
  }

  /** The next key. */
  public String nextKey() {
    return Dataset.key(nextIndex());
  }
}
