package io.distcache.jcache.integration;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * At most one computation per key at a time in this JVM: callers that ask for a key while its
 * computation runs wait for it and share its outcome, value or exception. Used for read-through
 * loads, so a cold key read by many threads at once reaches the {@code CacheLoader} once.
 *
 * @param <K> the key type (its {@code equals} decides what is the same key)
 * @param <V> the computed value type
 */
public final class SingleFlight<K, V> {

  private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

  /**
   * Runs {@code computation} for {@code key}, or waits for the one already running for it.
   *
   * @return the computation's value, for every caller that shared it
   * @throws RuntimeException the computation's own exception, for every caller that shared it
   */
  public V run(K key, Supplier<V> computation) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> theirs = running.putIfAbsent(key, mine);
    if (theirs != null) {
      return outcomeOf(theirs);
    }
    try {
      V value = computation.get();
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      running.remove(key, mine);
    }
  }

  private static <V> V outcomeOf(CompletableFuture<V> computation) {
    try {
      return computation.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
