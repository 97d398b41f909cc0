package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.expiry.ExpiryCalculator;
import io.distcache.jcache.processor.DistMutableEntry;
import io.distcache.protocol.codec.KeyEncoder;
import java.util.function.Function;
import javax.cache.integration.CacheWriterException;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;

/**
 * Runs an {@link EntryProcessor} on one entry, atomically per key across JVMs: a read-decide-write step
 * ({@link EntryUpdater}) whose decision is the processor's, then published once. The processor may run again when
 * another writer got in between; what it did to the entry decides the write, the expiry and the events.
 */
final class EntryProcessing<K, V> {

  private final KeyEncoder keys;
  private final ExpiryCalculator expiry;
  private final EntryUpdater<K, V> updater;
  private final OutcomePublisher<K, V> publisher;
  /** Loads an absent entry a processor reads (read-through); {@code null} without a loader to read through. */
  private final Function<K, V> loader;

  EntryProcessing(KeyEncoder keys, ExpiryCalculator expiry, EntryUpdater<K, V> updater,
      OutcomePublisher<K, V> publisher, Function<K, V> loader) {
    this.keys = requireNonNull(keys, "keys");
    this.expiry = requireNonNull(expiry, "expiry");
    this.updater = requireNonNull(updater, "updater");
    this.publisher = requireNonNull(publisher, "publisher");
    this.loader = loader;
  }

  /** Runs {@code processor} on the entry of {@code key}; a writer's failure reaches the caller as the processor's. */
  <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    try {
      return updater.locked(key, () -> invokeLocked(key, processor, arguments));
    } catch (CacheWriterException e) {
      // The writer runs for the processor's outcome; its failure reaches the caller as the processor's would.
      throw new EntryProcessorException(e);
    }
  }

  private <T> T invokeLocked(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    String encodedKey = keys.encode(key);
    return publisher.published(key, encodedKey, true, updater.update(key, encodedKey, current -> {
      V currentValue = current == null ? null : current.value();
      DistMutableEntry<K, V> entry = new DistMutableEntry<>(key, currentValue, loader);
      T result;
      try {
        result = processor.process(entry, arguments);
      } catch (EntryProcessorException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new EntryProcessorException(e);
      }
      return planFor(current, entry, result);
    }));
  }

  private <T> Plan<V, T> planFor(Current<V> current, DistMutableEntry<K, V> entry, T result) {
    switch (entry.action()) {
      case READ:
        return Plan.access(result);
      case LOADED:
        return Plan.set(entry.getValue(), expiry.creation(), result);
      case CREATED:
      case UPDATED:
        return Plan.write(entry.getValue(), current == null ? expiry.creation() : expiry.update(), result);
      case DELETED:
        return Plan.remove(result);
      default:
        return Plan.none(result);
    }
  }
}
