package io.distcache.benchmarks.data;

import java.util.LinkedHashMap;
import java.util.Map;

/** The data every row works on: {@value #SIZE} String keys and their {@link Payload} values. */
public final class Dataset {

  /** Number of keys. */
  public static final int SIZE = 10_000;

  private static final String[] KEYS = new String[SIZE];

  static {
    for (int i = 0; i < SIZE; i++) {
      KEYS[i] = "customer:" + i;
    }
  }

  private Dataset() {
  }

  /** Key number {@code i}. */
  public static String key(int i) {
    return KEYS[i];
  }

  /** Value number {@code i}, freshly built (first revision). */
  public static Payload value(int i) {
    return Payload.sample(i, 0);
  }

  /** Every key with its value, in key order. */
  public static Map<String, Payload> entries() {
    Map<String, Payload> entries = new LinkedHashMap<>();
    for (int i = 0; i < SIZE; i++) {
      entries.put(KEYS[i], value(i));
    }
    return entries;
  }
}
