package io.distcache.jcache.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.Closeable;
import java.io.IOError;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventDispatcherTest {

  private final Cache<String, Integer> cache = stubCache();
  /** Several threads, so that deliveries would overtake each other if nothing ordered them. */
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final EventDispatcher<String, Integer> dispatcher = new EventDispatcher<>(executor);

  @AfterEach
  void tearDown() throws InterruptedException {
    dispatcher.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  // --- ordering and synchronous delivery ---

  @Test
  void deliversTheEventsOfEachKeyInPublicationOrderToAnAsynchronousListener() {
    Map<String, List<Integer>> received = new ConcurrentHashMap<>();
    Recorder<String, Integer> listener = new Recorder<>(event -> {
      // Random pauses make later events overtake earlier ones unless the key's chain holds them back.
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000));
      received.computeIfAbsent(event.getKey(), k -> new CopyOnWriteArrayList<>()).add(event.getValue());
    });
    dispatcher.register(configuration(listener, null, false, false));

    int updates = 300;
    List<String> keys = List.of("a", "b", "c", "d", "e");
    for (int i = 1; i <= updates; i++) {
      for (String key : keys) {
        dispatcher.publishUpdated(cache, key, i - 1, i);
      }
    }

    List<Integer> expected = IntStream.rangeClosed(1, updates).boxed().toList();
    await().atMost(Duration.ofSeconds(30)).until(() -> listener.events.size() == updates * keys.size());
    assertThat(received).containsOnlyKeys(keys);
    received.values().forEach(values -> assertThat(values).containsExactlyElementsOf(expected));
  }

  @Test
  void publishingDoesNotWaitForAsynchronousListeners() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    Recorder<String, Integer> listener = new Recorder<>(event -> awaitQuietly(release));
    dispatcher.register(configuration(listener, null, false, false));

    dispatcher.publishCreated(cache, "k", 1);
    dispatcher.awaitSynchronous();

    assertThat(listener.events).isEmpty();
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.events.size() == 1);
  }

  @Test
  void aSynchronousListenerHasHandledTheEventWhenAwaitReturns() {
    Recorder<String, Integer> listener = new Recorder<>(event -> sleep(100));
    dispatcher.register(configuration(listener, null, false, true));

    dispatcher.publishCreated(cache, "k", 1);
    dispatcher.publishUpdated(cache, "k", 1, 2);
    dispatcher.awaitSynchronous();

    assertThat(listener.values()).containsExactly(1, 2);
  }

  @Test
  void awaitCoversOnlyTheEventsOfTheCallingThread() throws Exception {
    Recorder<String, Integer> listener = new Recorder<>(event -> {
      if (event.getKey().equals("bad")) {
        throw new CacheEntryListenerException("bad key");
      }
    });
    dispatcher.register(configuration(listener, null, false, true));
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      other.submit(() -> dispatcher.publishCreated(cache, "bad", 1)).get();

      dispatcher.publishCreated(cache, "good", 1);
      assertThatCode(dispatcher::awaitSynchronous).doesNotThrowAnyException();

      Throwable failure = other.submit(() -> catchThrowable(dispatcher::awaitSynchronous)).get();
      assertThat(failure).isInstanceOf(CacheEntryListenerException.class).hasMessage("bad key");
    } finally {
      other.shutdownNow();
    }
  }

  // --- failures ---

  @Test
  void rethrowsACacheEntryListenerExceptionAsIs() {
    CacheEntryListenerException thrown = new CacheEntryListenerException("broken");
    dispatcher.register(configuration(new Recorder<>(event -> {
      throw thrown;
    }), null, false, true));

    dispatcher.publishCreated(cache, "k", 1);

    assertThatThrownBy(dispatcher::awaitSynchronous).isSameAs(thrown);
  }

  @Test
  void wrapsOtherExceptionsInACacheEntryListenerException() {
    UnsupportedOperationException thrown = new UnsupportedOperationException("broken");
    dispatcher.register(configuration(new Recorder<>(event -> {
      throw thrown;
    }), null, false, true));

    dispatcher.publishUpdated(cache, "k", 1, 2);

    assertThatThrownBy(dispatcher::awaitSynchronous)
        .isExactlyInstanceOf(CacheEntryListenerException.class)
        .cause().isSameAs(thrown);
  }

  @Test
  void rethrowsErrorsUnwrapped() {
    IOError thrown = new IOError(null);
    dispatcher.register(configuration(new Recorder<>(event -> {
      throw thrown;
    }), null, false, true));

    dispatcher.publishRemoved(cache, "k", 1);

    assertThatThrownBy(dispatcher::awaitSynchronous).isSameAs(thrown);
  }

  @Test
  void rethrowsAFilterFailure() {
    IllegalStateException thrown = new IllegalStateException("filter broken");
    CacheEntryEventFilter<String, Integer> filter = event -> {
      throw thrown;
    };
    Recorder<String, Integer> listener = new Recorder<>();
    dispatcher.register(configuration(listener, filter, false, true));

    dispatcher.publishCreated(cache, "k", 1);

    assertThatThrownBy(dispatcher::awaitSynchronous)
        .isInstanceOf(CacheEntryListenerException.class)
        .cause().isSameAs(thrown);
    assertThat(listener.events).isEmpty();
  }

  @Test
  void throwsTheFirstFailureWithTheLaterOnesSuppressed() {
    dispatcher.register(configuration(new Recorder<>(event -> {
      throw new CacheEntryListenerException(event.getKey());
    }), null, false, true));

    dispatcher.publishCreated(cache, "first", 1);
    dispatcher.publishCreated(cache, "second", 1);

    Throwable failure = catchThrowable(dispatcher::awaitSynchronous);
    assertThat(failure).hasMessage("first");
    assertThat(failure.getSuppressed()).singleElement().extracting(Throwable::getMessage).isEqualTo("second");
  }

  @Test
  void aFailedDeliveryDoesNotHoldBackTheNextEventsOfTheKey() {
    Recorder<String, Integer> listener = new Recorder<>(event -> {
      if (event.getValue() == 1) {
        throw new CacheEntryListenerException("first update");
      }
    });
    dispatcher.register(configuration(listener, null, false, true));

    dispatcher.publishUpdated(cache, "k", 0, 1);
    dispatcher.publishUpdated(cache, "k", 1, 2);
    dispatcher.publishUpdated(cache, "k", 2, 3);

    assertThatThrownBy(dispatcher::awaitSynchronous).hasMessage("first update");
    assertThat(listener.values()).containsExactly(2, 3);
    assertThatCode(dispatcher::awaitSynchronous).doesNotThrowAnyException();
  }

  @Test
  void anAsynchronousFailureIsOnlyLogged() {
    Recorder<String, Integer> listener = new Recorder<>(event -> {
      if (event.getValue() == 1) {
        throw new IllegalStateException("logged, not thrown");
      }
    });
    dispatcher.register(configuration(listener, null, false, false));

    dispatcher.publishCreated(cache, "k", 1);
    dispatcher.publishUpdated(cache, "k", 1, 2);

    assertThatCode(dispatcher::awaitSynchronous).doesNotThrowAnyException();
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.events.size() == 1);
    assertThat(listener.events.get(0).getValue()).isEqualTo(2);
  }

  @Test
  void ignoreForgetsTheFailuresOfTheCallingThread() {
    dispatcher.register(configuration(new Recorder<>(event -> {
      throw new CacheEntryListenerException("ignored");
    }), null, false, true));

    dispatcher.publishCreated(cache, "k", 1);
    dispatcher.ignoreSynchronous();

    assertThatCode(dispatcher::awaitSynchronous).doesNotThrowAnyException();
  }

  // --- event content, types and filters ---

  @ParameterizedTest(name = "oldValueRequired={0}")
  @ValueSource(booleans = {true, false})
  void exposesOldValuesOnlyToListenersRequiringThem(boolean oldValueRequired) {
    Recorder<String, Integer> listener = new Recorder<>();
    dispatcher.register(configuration(listener, null, oldValueRequired, true));

    dispatcher.publishCreated(cache, "k", 1);
    dispatcher.publishUpdated(cache, "k", 1, 2);
    dispatcher.publishRemoved(cache, "k", 2);
    dispatcher.publishExpired(cache, "k", 3);
    dispatcher.awaitSynchronous();

    Integer removed = oldValueRequired ? 2 : null;
    Integer expired = oldValueRequired ? 3 : null;
    assertThat(listener.events)
        .extracting(CacheEntryEvent::getEventType, CacheEntryEvent::getValue,
            CacheEntryEvent::getOldValue, CacheEntryEvent::isOldValueAvailable)
        .containsExactly(
            tuple(EventType.CREATED, 1, null, false),
            tuple(EventType.UPDATED, 2, oldValueRequired ? 1 : null, oldValueRequired),
            tuple(EventType.REMOVED, removed, removed, oldValueRequired),
            tuple(EventType.EXPIRED, expired, expired, oldValueRequired));
  }

  @Test
  void anOldValueTheCacheDidNotFetchIsNotAvailable() {
    Recorder<String, Integer> listener = new Recorder<>();
    dispatcher.register(configuration(listener, null, true, true));

    dispatcher.publishUpdated(cache, "k", null, 2);
    dispatcher.awaitSynchronous();

    assertThat(listener.events).singleElement().satisfies(event -> {
      assertThat(event.getValue()).isEqualTo(2);
      assertThat(event.isOldValueAvailable()).isFalse();
    });
  }

  @Test
  void eventsNameTheirSourceAndUnwrapToTheirOwnTypes() {
    Recorder<String, Integer> listener = new Recorder<>();
    dispatcher.register(configuration(listener, null, false, true));

    dispatcher.publishCreated(cache, "k", 1);
    dispatcher.awaitSynchronous();

    CacheEntryEvent<? extends String, ? extends Integer> event = listener.events.get(0);
    assertThat((Object) event.getSource()).isSameAs(cache);
    assertThat(event.getKey()).isEqualTo("k");
    assertThat(event.unwrap(CacheEntryEvent.class)).isSameAs(event);
    assertThat(event.unwrap(Cache.Entry.class)).isSameAs(event);
    assertThatThrownBy(() -> event.unwrap(String.class)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deliversOnlyTheEventTypesTheListenerImplements() {
    List<CacheEntryEvent<? extends String, ? extends Integer>> created = new CopyOnWriteArrayList<>();
    CacheEntryCreatedListener<String, Integer> listener = events -> events.forEach(created::add);
    dispatcher.register(configuration(listener, null, true, true));

    dispatcher.publishCreated(cache, "k", 1);
    dispatcher.publishUpdated(cache, "k", 1, 2);
    dispatcher.publishRemoved(cache, "k", 2);
    dispatcher.awaitSynchronous();

    assertThat(created).extracting(CacheEntryEvent::getEventType).containsExactly(EventType.CREATED);
    assertThat(dispatcher.hasListenerFor(EventType.CREATED)).isTrue();
    assertThat(dispatcher.hasListenerFor(EventType.UPDATED)).isFalse();
    assertThat(dispatcher.isOldValueRequired(EventType.CREATED)).isTrue();
    assertThat(dispatcher.isOldValueRequired(EventType.REMOVED)).isFalse();
  }

  @Test
  void reportsWhetherSomeListenerRequiresOldValues() {
    assertThat(dispatcher.hasListenerFor(EventType.UPDATED)).isFalse();
    dispatcher.register(configuration(new Recorder<>(), null, false, false));
    assertThat(dispatcher.hasListenerFor(EventType.UPDATED)).isTrue();
    assertThat(dispatcher.isOldValueRequired(EventType.UPDATED)).isFalse();

    dispatcher.register(configuration(new Recorder<>(), null, true, false));
    assertThat(dispatcher.isOldValueRequired(EventType.UPDATED)).isTrue();
  }

  @Test
  void evaluatesTheFilterOnEveryEventAsTheListenerWouldSeeIt() {
    List<Boolean> oldValueSeenByFilter = new CopyOnWriteArrayList<>();
    CacheEntryEventFilter<String, Integer> evenValues = event -> {
      oldValueSeenByFilter.add(event.isOldValueAvailable());
      return event.getValue() % 2 == 0;
    };
    Recorder<String, Integer> listener = new Recorder<>();
    dispatcher.register(configuration(listener, evenValues, false, true));

    for (int i = 1; i <= 4; i++) {
      dispatcher.publishUpdated(cache, "k" + i, 10, i);
    }
    dispatcher.awaitSynchronous();

    // Different keys: delivered concurrently, in no particular order.
    assertThat(listener.values()).containsExactlyInAnyOrder(2, 4);
    assertThat(oldValueSeenByFilter).containsExactly(false, false, false, false);
  }

  // --- registration lifecycle ---

  @Test
  void rejectsAConfigurationThatIsAlreadyRegistered() {
    Recorder<String, Integer> listener = new Recorder<>();
    var configuration = configuration(listener, null, false, true);
    dispatcher.register(configuration);

    assertThatThrownBy(() -> dispatcher.register(new MutableCacheEntryListenerConfiguration<>(configuration)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(listener.closed).isFalse();
  }

  @Test
  void rejectsAFactoryCreatingNoListener() {
    CacheEntryListenerConfiguration<String, Integer> configuration =
        new MutableCacheEntryListenerConfiguration<>(() -> null, null, false, false);

    assertThatThrownBy(() -> dispatcher.register(configuration)).isInstanceOf(IllegalArgumentException.class);
    assertThat(dispatcher.hasListenerFor(EventType.CREATED)).isFalse();
  }

  @Test
  void deregistrationStopsDeliveryAndClosesListenerAndFilter() {
    Recorder<String, Integer> listener = new Recorder<>();
    ClosableFilter filter = new ClosableFilter();
    var configuration = configuration(listener, filter, false, true);
    dispatcher.register(configuration);
    dispatcher.publishCreated(cache, "k", 1);
    dispatcher.awaitSynchronous();

    dispatcher.deregister(configuration);
    dispatcher.publishUpdated(cache, "k", 1, 2);
    dispatcher.awaitSynchronous();

    assertThat(listener.events).hasSize(1);
    assertThat(listener.closed).isTrue();
    assertThat(filter.closed).isTrue();
    assertThat(dispatcher.hasListenerFor(EventType.CREATED)).isFalse();
    assertThatCode(() -> dispatcher.deregister(configuration)).doesNotThrowAnyException();
    assertThatThrownBy(() -> dispatcher.deregister(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void deregistrationDropsDeliveriesThatHaveNotStarted() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Recorder<String, Integer> listener = new Recorder<>(event -> {
      started.countDown();
      awaitQuietly(release);
    });
    // Synchronous only so that awaitSynchronous tells when the dropped delivery has had its turn.
    var configuration = configuration(listener, null, false, true);
    dispatcher.register(configuration);

    dispatcher.publishCreated(cache, "k", 1);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    dispatcher.publishUpdated(cache, "k", 1, 2);
    dispatcher.deregister(configuration);
    release.countDown();
    dispatcher.awaitSynchronous();

    assertThat(listener.values()).containsExactly(1);
  }

  @Test
  void closeClosesEveryListener() {
    Recorder<String, Integer> first = new Recorder<>();
    Recorder<String, Integer> second = new Recorder<>();
    dispatcher.register(configuration(first, null, false, true));
    dispatcher.register(configuration(second, null, true, false));

    dispatcher.close();

    assertThat(first.closed).isTrue();
    assertThat(second.closed).isTrue();
    assertThat(dispatcher.hasListenerFor(EventType.CREATED)).isFalse();
  }

  // --- helpers ---

  private static <K, V> CacheEntryListenerConfiguration<K, V> configuration(
      CacheEntryListener<K, V> listener, CacheEntryEventFilter<K, V> filter,
      boolean oldValueRequired, boolean synchronous) {
    return new MutableCacheEntryListenerConfiguration<>(
        () -> listener, filter == null ? null : () -> filter, oldValueRequired, synchronous);
  }

  /** A cache that only knows its name: the dispatcher just hands it to events as their source. */
  @SuppressWarnings("unchecked")
  private static <K, V> Cache<K, V> stubCache() {
    return (Cache<K, V>) Proxy.newProxyInstance(Cache.class.getClassLoader(), new Class<?>[] {Cache.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getName", "toString" -> "stub";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records the events it handled, after running an action on each (which may throw). */
  private static final class Recorder<K, V> implements CacheEntryCreatedListener<K, V>,
      CacheEntryUpdatedListener<K, V>, CacheEntryRemovedListener<K, V>, CacheEntryExpiredListener<K, V>,
      Closeable {

    final List<CacheEntryEvent<? extends K, ? extends V>> events = new CopyOnWriteArrayList<>();
    final AtomicBoolean closed = new AtomicBoolean();
    private final Consumer<CacheEntryEvent<? extends K, ? extends V>> action;

    Recorder() {
      this(event -> {});
    }

    Recorder(Consumer<CacheEntryEvent<? extends K, ? extends V>> action) {
      this.action = action;
    }

    List<V> values() {
      return events.stream().<V>map(CacheEntryEvent::getValue).toList();
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends K, ? extends V>> batch) {
      handle(batch);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends K, ? extends V>> batch) {
      handle(batch);
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends K, ? extends V>> batch) {
      handle(batch);
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends K, ? extends V>> batch) {
      handle(batch);
    }

    private void handle(Iterable<CacheEntryEvent<? extends K, ? extends V>> batch) {
      List<CacheEntryEvent<? extends K, ? extends V>> handled = new ArrayList<>();
      for (CacheEntryEvent<? extends K, ? extends V> event : batch) {
        action.accept(event);
        handled.add(event);
      }
      events.addAll(handled);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private static final class ClosableFilter implements CacheEntryEventFilter<String, Integer>, Closeable {

    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public boolean evaluate(CacheEntryEvent<? extends String, ? extends Integer> event) {
      return true;
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }
}
