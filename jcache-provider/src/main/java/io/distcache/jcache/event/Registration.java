package io.distcache.jcache.event;

import java.io.Closeable;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered listener: the listener and filter created from a
 * {@link CacheEntryListenerConfiguration}, and the per-key delivery chains that keep its events for a
 * key in publication order.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
final class Registration<K, V> {

  private static final Logger logger = LoggerFactory.getLogger(Registration.class);

  private final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<K, V> listener;
  private final CacheEntryEventFilter<K, V> filter;
  private final Set<EventType> types;
  /** The turn of each key's last delivery in flight; it leaves once that delivery is done. */
  private final ConcurrentMap<K, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();
  private volatile boolean active = true;

  /**
   * Creates the listener and (optional) filter from the configuration's factories.
   *
   * @throws IllegalArgumentException if the listener factory is missing or creates {@code null}
   */
  // A listener or filter of "? super K, ? super V" accepts every event of K and V, so viewing it
  // as <K, V> is safe and lets events be passed without wildcard gymnastics.
  @SuppressWarnings("unchecked")
  Registration(CacheEntryListenerConfiguration<K, V> configuration) {
    this.configuration = configuration;
    Factory<? extends CacheEntryListener<? super K, ? super V>> listenerFactory =
        configuration.getCacheEntryListenerFactory();
    if (listenerFactory == null) {
      throw new IllegalArgumentException("The listener configuration has no listener factory");
    }
    this.listener = (CacheEntryListener<K, V>) listenerFactory.create();
    if (listener == null) {
      throw new IllegalArgumentException("The listener factory created null");
    }
    Factory<? extends CacheEntryEventFilter<? super K, ? super V>> filterFactory =
        configuration.getCacheEntryEventFilterFactory();
    this.filter = filterFactory == null ? null : (CacheEntryEventFilter<K, V>) filterFactory.create();
    this.types = typesOf(listener);
  }

  private static Set<EventType> typesOf(CacheEntryListener<?, ?> listener) {
    Set<EventType> types = EnumSet.noneOf(EventType.class);
    if (listener instanceof CacheEntryCreatedListener) {
      types.add(EventType.CREATED);
    }
    if (listener instanceof CacheEntryUpdatedListener) {
      types.add(EventType.UPDATED);
    }
    if (listener instanceof CacheEntryRemovedListener) {
      types.add(EventType.REMOVED);
    }
    if (listener instanceof CacheEntryExpiredListener) {
      types.add(EventType.EXPIRED);
    }
    return types;
  }

  /** Whether the listener implements the sub-interface receiving events of this type. */
  boolean accepts(EventType type) {
    return types.contains(type);
  }

  boolean isSynchronous() {
    return configuration.isSynchronous();
  }

  boolean isOldValueRequired() {
    return configuration.isOldValueRequired();
  }

  /**
   * Schedules the delivery of an event on the executor, after every earlier delivery of the same
   * key to this listener has finished (whether it succeeded or not).
   *
   * @return the delivery; it completes exceptionally with the filter's or listener's failure
   */
  CompletableFuture<Void> enqueue(EntryEvent<K, V> event, Executor executor) {
    K key = event.getKey();
    // The delivery's place in the key's chain. It always completes normally, once the delivery is
    // over, so that a failed delivery does not cancel the ones queued behind it. Swapping it in with
    // put, rather than scheduling inside compute, keeps the executor and user code out of the map's lock.
    CompletableFuture<Void> turn = new CompletableFuture<>();
    CompletableFuture<Void> previous = chains.put(key, turn);
    CompletableFuture<Void> start = previous == null ? CompletableFuture.completedFuture(null) : previous;
    CompletableFuture<Void> delivery = start.thenRunAsync(() -> deliver(event), executor);
    delivery.whenComplete((ignored, failure) -> {
      chains.remove(key, turn);
      turn.complete(null);
      // A synchronous delivery's failure reaches the caller through awaitSynchronous; an
      // asynchronous one has nobody to report to but the log.
      if (failure != null && !isSynchronous()) {
        logger.warn("Asynchronous cache entry listener {} failed on {}",
            listener.getClass().getName(), event, causeOf(failure));
      }
    });
    return delivery;
  }

  /** Strips the {@link CompletionException} a {@link CompletableFuture} wraps failures in. */
  static Throwable causeOf(Throwable failure) {
    boolean wrapped = failure instanceof CompletionException && failure.getCause() != null;
    return wrapped ? failure.getCause() : failure;
  }

  private void deliver(EntryEvent<K, V> event) {
    // Deliveries queued before a deregistration are dropped: the listener may be closed already.
    if (!active || (filter != null && !filter.evaluate(event))) {
      return;
    }
    List<CacheEntryEvent<? extends K, ? extends V>> events = List.of(event);
    switch (event.getEventType()) {
      case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(events);
      case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(events);
      case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(events);
      case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(events);
    }
  }

  /**
   * Stops delivery and closes the listener and filter that implement {@link Closeable} (the TCK's
   * remote listeners hold sockets that must be released). Failures to close are logged, not thrown,
   * so that one misbehaving listener cannot keep a cache from closing.
   */
  void close() {
    active = false;
    closeQuietly(listener);
    if (filter != listener) {
      closeQuietly(filter);
    }
  }

  private static void closeQuietly(Object resource) {
    if (resource instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException | RuntimeException e) {
        logger.warn("Failed to close {}", resource.getClass().getName(), e);
      }
    }
  }
}
