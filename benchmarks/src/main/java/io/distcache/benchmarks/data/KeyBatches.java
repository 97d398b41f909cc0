package io.distcache.benchmarks.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Random batches of {@value #BATCH} distinct keys, precomputed, for the bulk-read rows. */
@State(Scope.Thread)
public class KeyBatches {

  /** Keys per batch. */
  public static final int BATCH = 100;

  private static final int BATCHES = 1 << 10;

  private final List<Set<String>> sets = new ArrayList<>(BATCHES);
  private final String[][] arrays = new String[BATCHES][];
  private int cursor;

  /** Draws the batches with a fixed seed. */
  @Setup
  public void draw() {
    SplittableRandom random = new SplittableRandom(7L);
    for (int b = 0; b < BATCHES; b++) {
      Set<String> batch = new LinkedHashSet<>();
      while (batch.size() < BATCH) {
        batch.add(Dataset.key(random.nextInt(Dataset.SIZE)));
      }
      sets.add(Collections.unmodifiableSet(batch));
      arrays[b] = batch.toArray(String[]::new);
    }
  }

  /** Advances to the next batch and returns its position, for {@link #set(int)} and {@link #array(int)}. */
  public int next() {
    int batch = cursor;
    cursor = (cursor + 1) & (BATCHES - 1);
    return batch;
  }

  /** The keys of a batch as a set (JCache getAll). */
  public Set<String> set(int batch) {
    return sets.get(batch);
  }

  /** The keys of a batch as an array (raw MGET); never modify it. */
  public String[] array(int batch) {
    return arrays[batch];
  }
}
