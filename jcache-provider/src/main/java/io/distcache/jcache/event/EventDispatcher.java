package io.distcache.jcache.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches JSR-107 entry events of one {@link Cache} to its registered listeners.
 *
 * <p><b>Contract with the cache.</b> The cache publishes an event, naming itself as the source (both
 * source and key must be non-null), after applying the mutation and, ideally, while still holding
 * the entry's lock, so that the publication order of a key is its mutation order. Publishing only enqueues (no listener or filter code runs on the publishing thread),
 * which makes it safe under a lock. Every thread that publishes must then end the cache operation,
 * outside any lock, with {@link #awaitSynchronous()}, or with {@link #ignoreSynchronous()} when the
 * operation itself failed; otherwise the thread keeps the deliveries it published.
 *
 * <p><b>Delivery.</b> Each event goes to every listener implementing the matching sub-interface
 * ({@code CacheEntryCreatedListener} for {@link EventType#CREATED}, ...) whose filter, if any,
 * accepts it; the filter runs with the delivery, on the executor. For each listener, the events of a
 * key are delivered one after another in publication order, asynchronous listeners included; events
 * of different keys may be delivered concurrently. A listener receives one event per call.
 * {@link CacheEntryListenerConfiguration#isSynchronous() Synchronous} listeners run on the executor
 * too, but the publishing thread waits for them in {@link #awaitSynchronous()}.
 *
 * <p><b>Old values.</b> A listener whose configuration sets
 * {@link CacheEntryListenerConfiguration#isOldValueRequired() isOldValueRequired} receives the old value
 * the cache published. Any other listener never receives one: {@link CacheEntryEvent#getOldValue()} is
 * {@code null} and {@link CacheEntryEvent#isOldValueAvailable()} false, and for removed and expired
 * events {@link CacheEntryEvent#getValue()} is {@code null} too, because JSR-107 1.1 defines it as the
 * old value for those types. Listeners thus see the same thing whether or not another listener made
 * the cache fetch the old value, and {@link #isOldValueRequired(EventType)} tells the cache exactly
 * when fetching it is worth the cost.
 *
 * <p><b>Failures.</b> A failing listener or filter does not stop the deliveries to other listeners or
 * of later events. The failure of a synchronous one is thrown by {@link #awaitSynchronous()}; an
 * asynchronous one is logged.
 *
 * <p>Thread-safe.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public final class EventDispatcher<K, V> {

  private static final Logger logger = LoggerFactory.getLogger(EventDispatcher.class);

  private final Executor executor;
  private final ConcurrentMap<CacheEntryListenerConfiguration<K, V>, Registration<K, V>> registrations =
      new ConcurrentHashMap<>();
  /** False until a listener is registered: spares every cache call the thread-local lookup below. */
  private volatile boolean anyRegistered;
  /** The synchronous deliveries published by the current thread since its last await or ignore. */
  private final ThreadLocal<List<CompletableFuture<Void>>> pending = ThreadLocal.withInitial(ArrayList::new);

  /**
   * Creates a dispatcher without listeners.
   *
   * @param executor runs every delivery, e.g. {@link java.util.concurrent.ForkJoinPool#commonPool()};
   *     it must not reject tasks while the dispatcher is in use (a rejected delivery can leave
   *     {@link #awaitSynchronous()} waiting forever), and should run them on other threads: running
   *     them on the publishing thread would run listeners inside the cache's locks
   */
  public EventDispatcher(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * Registers a listener: creates it, and its filter if the configuration has a filter factory.
   *
   * @throws IllegalArgumentException if an equal configuration is already registered, or the
   *     configuration's listener factory is missing or creates {@code null}
   */
  public void register(CacheEntryListenerConfiguration<K, V> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    // Checked before the factories run, so that a rejected configuration creates no listener.
    if (registrations.containsKey(configuration)) {
      throw alreadyRegistered(configuration);
    }
    Registration<K, V> registration = new Registration<>(configuration);
    if (registrations.putIfAbsent(configuration, registration) != null) {
      // Lost a race with an equal registration. The new listener is not closed: a singleton
      // factory may have handed out the very instance the winner now uses.
      throw alreadyRegistered(configuration);
    }
    anyRegistered = true;
    logger.debug("Registered cache entry listener {}", configuration);
  }

  private static IllegalArgumentException alreadyRegistered(Object configuration) {
    return new IllegalArgumentException("Listener configuration already registered: " + configuration);
  }

  /**
   * Deregisters a listener, closes it and its filter if they implement {@link java.io.Closeable}, and
   * drops its deliveries that have not started yet. Does nothing if the configuration is not registered.
   *
   * @throws NullPointerException if {@code configuration} is {@code null}
   */
  public void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    Registration<K, V> registration = registrations.remove(configuration);
    if (registration != null) {
      registration.close();
      logger.debug("Deregistered cache entry listener {}", configuration);
    }
  }

  /** Publishes the creation of an entry. */
  public void publishCreated(Cache<K, V> source, K key, V value) {
    publish(source, EventType.CREATED, key, value, null);
  }

  /**
   * Publishes the update of an entry.
   *
   * @param oldValue the replaced value, or {@code null} if the cache did not fetch it because
   *     {@link #isOldValueRequired(EventType)} was false
   */
  public void publishUpdated(Cache<K, V> source, K key, V oldValue, V newValue) {
    publish(source, EventType.UPDATED, key, newValue, oldValue);
  }

  /**
   * Publishes the removal of an entry.
   *
   * @param oldValue the removed value, or {@code null} if the cache did not fetch it because
   *     {@link #isOldValueRequired(EventType)} was false
   */
  public void publishRemoved(Cache<K, V> source, K key, V oldValue) {
    publish(source, EventType.REMOVED, key, oldValue, oldValue);
  }

  /**
   * Publishes the expiry of an entry.
   *
   * @param value the expired value, or {@code null} if the cache did not fetch it because
   *     {@link #isOldValueRequired(EventType)} was false
   */
  public void publishExpired(Cache<K, V> source, K key, V value) {
    publish(source, EventType.EXPIRED, key, value, value);
  }

  /**
   * Enqueues an event for every listener of its type.
   *
   * @param value the event's {@link CacheEntryEvent#getValue()} for listeners requiring old values
   */
  private void publish(Cache<K, V> source, EventType type, K key, V value, V oldValue) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(key, "key");
    EntryEvent<K, V> withOldValue = null;
    EntryEvent<K, V> withoutOldValue = null;
    for (Registration<K, V> registration : registrations.values()) {
      if (!registration.accepts(type)) {
        continue;
      }
      EntryEvent<K, V> event;
      if (registration.isOldValueRequired()) {
        if (withOldValue == null) {
          withOldValue = new EntryEvent<>(source, type, key, value, oldValue);
        }
        event = withOldValue;
      } else {
        if (withoutOldValue == null) {
          // For removed and expired events the value is the old value, so it goes as well.
          V newValue = type == EventType.CREATED || type == EventType.UPDATED ? value : null;
          withoutOldValue = new EntryEvent<>(source, type, key, newValue, null);
        }
        event = withoutOldValue;
      }
      CompletableFuture<Void> delivery = registration.enqueue(event, executor);
      if (registration.isSynchronous()) {
        pending.get().add(delivery);
      }
    }
  }

  /** Whether some listener receives events of this type, i.e. whether publishing them is worth it. */
  public boolean hasListenerFor(EventType type) {
    return registrations.values().stream().anyMatch(registration -> registration.accepts(type));
  }

  /**
   * Whether some listener of this type requires old values, i.e. whether the cache must fetch the
   * previous value of an entry to publish events of this type.
   */
  public boolean isOldValueRequired(EventType type) {
    return registrations.values().stream()
        .anyMatch(registration -> registration.accepts(type) && registration.isOldValueRequired());
  }

  /**
   * Blocks until the synchronous listeners have handled every event the current thread published
   * since its last await or ignore, then rethrows their first failure.
   *
   * <p>JSR-107 lets listeners throw only {@link CacheEntryListenerException} and has implementations
   * wrap any other exception in one; the TCK expects {@link Error}s to pass unwrapped. So: a
   * {@code CacheEntryListenerException} is rethrown as is, an {@code Error} as is, any other
   * exception wrapped in a {@code CacheEntryListenerException}. Later failures are attached to the
   * first as suppressed exceptions.
   *
   * @throws CacheEntryListenerException if a synchronous listener or its filter threw an exception
   */
  public void awaitSynchronous() {
    if (!anyRegistered) {
      return;
    }
    List<CompletableFuture<Void>> deliveries = pending.get();
    if (deliveries.isEmpty()) {
      return;
    }
    Throwable first = null;
    try {
      for (CompletableFuture<Void> delivery : deliveries) {
        try {
          delivery.join();
        } catch (CompletionException e) {
          Throwable failure = Registration.causeOf(e);
          if (first == null) {
            first = failure;
          } else if (failure != first) {
            first.addSuppressed(failure);
          }
        }
      }
    } finally {
      deliveries.clear();
    }
    if (first instanceof Error error) {
      throw error;
    }
    if (first instanceof CacheEntryListenerException listenerException) {
      throw listenerException;
    }
    if (first != null) {
      throw new CacheEntryListenerException("A synchronous cache entry listener failed", first);
    }
  }

  /**
   * Forgets the synchronous deliveries the current thread published since its last await or ignore,
   * without waiting for them; for operations that failed and throw their own exception.
   */
  public void ignoreSynchronous() {
    pending.get().clear();
  }

  /**
   * Deregisters every listener, closing the listeners and filters that implement
   * {@link java.io.Closeable}; deliveries that have not started yet are dropped.
   */
  public void close() {
    for (CacheEntryListenerConfiguration<K, V> configuration : registrations.keySet()) {
      deregister(configuration);
    }
  }
}
