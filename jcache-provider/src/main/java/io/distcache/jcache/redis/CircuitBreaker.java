package io.distcache.jcache.redis;

import io.distcache.jcache.configuration.OutageSettings;
import io.distcache.protocol.sabotage.Sabotage;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outage state of one CacheManager's Redis deployment: closed (calls go through), open (calls
 * fail at once, without waiting for a timeout) or half-open (one probe call may try Redis).
 *
 * <p>Consecutive failures open it; after the retry interval one caller probes, and any success —
 * that call's, or the change-log follower's, which keeps retrying in the background — closes it.
 * Each transition is logged once, never per call; when the connection flaps (killed connections
 * make in-flight calls fail while others succeed), transitions within a second of a logged one are
 * counted instead, and {@link #reportFlapping()} later logs the state they ended in.
 */
public final class CircuitBreaker {

  /** The breaker's states. */
  public enum State {
    /** Redis answers; calls go through. */
    CLOSED,
    /** Redis is unreachable; calls fail fast. */
    OPEN,
    /** One probe call is trying Redis. */
    HALF_OPEN
  }

  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
  private static final long QUIET_MILLIS = 1000;

  private final OutageSettings settings;
  private final String address;
  private final LongSupplier clock;
  private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile long openedAtMillis;
  private volatile long probeAfterMillis;
  private volatile String lastFailure = "";
  private final AtomicLong lastLoggedMillis = new AtomicLong(Long.MIN_VALUE / 2);
  private final AtomicInteger unloggedTransitions = new AtomicInteger();

  /**
   * Creates a closed breaker.
   *
   * @param address host:port for log lines and messages
   * @param clock milliseconds source (tests pass a fake one)
   */
  public CircuitBreaker(OutageSettings settings, String address, LongSupplier clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.address = Objects.requireNonNull(address, "address");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The current state. */
  public State state() {
    return state.get();
  }

  /** True while Redis is considered unreachable (open or probing). */
  public boolean isOpen() {
    return state.get() != State.CLOSED;
  }

  /**
   * True when near-cache hits may still be served: Redis is reachable, or became unreachable less
   * than {@code stale-on-failure} ago.
   */
  public boolean allowsStaleHits() {
    return state.get() == State.CLOSED
        || clock.getAsLong() - openedAtMillis < settings.staleOnFailure().toMillis();
  }

  /**
   * Called before a Redis call: returns normally when the call may proceed, throws when the breaker
   * is open and it is not yet time to probe.
   */
  public void beforeCall(String cacheName, String namespace) {
    State current = state.get();
    if (current == State.CLOSED) {
      return;
    }
    if (current == State.OPEN && clock.getAsLong() >= probeAfterMillis
        && state.compareAndSet(State.OPEN, State.HALF_OPEN)) {
      return;
    }
    throw new RedisUnavailableException("cache '" + cacheName + "' (namespace " + namespace + "): Redis at "
        + address + " is unreachable (since " + Instant.ofEpochMilli(openedAtMillis) + ": " + lastFailure
        + "); failing fast while it recovers, retrying every " + settings.retryInterval().toMillis()
        + " ms. Check that Redis is running and reachable.", null);
  }

  /** Records a successful call: closes the breaker. */
  public void onSuccess() {
    if (Sabotage.BREAKER_NEVER_CLOSES.isActive()) {
      return;
    }
    // Plain reads first: this runs after every Redis call, and writes to shared atomics would contend.
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
    if (state.get() != State.CLOSED && state.getAndSet(State.CLOSED) != State.CLOSED && mayLogTransition()) {
      LOG.info("Redis at {} is reachable again after {} ms; circuit breaker closed", address,
          clock.getAsLong() - openedAtMillis);
    }
  }

  /** Records a call that failed because Redis was unreachable or too slow. */
  public void onFailure(Throwable failure) {
    lastFailure = failure.getClass().getSimpleName();
    long now = clock.getAsLong();
    if (state.compareAndSet(State.HALF_OPEN, State.OPEN)) {
      probeAfterMillis = now + settings.retryInterval().toMillis();
      return;
    }
    if (consecutiveFailures.incrementAndGet() >= settings.failureThreshold()
        && state.compareAndSet(State.CLOSED, State.OPEN)) {
      openedAtMillis = now;
      probeAfterMillis = now + settings.retryInterval().toMillis();
      if (mayLogTransition()) {
        LOG.warn("Redis at {} is unreachable ({}); circuit breaker open: near-cache hits are served for up to {},"
            + " misses and writes fail fast", address, lastFailure, settings.staleOnFailure());
      }
    }
  }

  /** True when no transition was logged in the last second; otherwise counts this one for {@link #reportFlapping()}. */
  private boolean mayLogTransition() {
    long now = clock.getAsLong();
    long last = lastLoggedMillis.get();
    if (now - last >= QUIET_MILLIS && lastLoggedMillis.compareAndSet(last, now)) {
      return true;
    }
    unloggedTransitions.incrementAndGet();
    return false;
  }

  /**
   * Logs the current state once transitions went unlogged and a quiet second has passed since the
   * last logged one, so the log never ends on a state the breaker has left. Called periodically by
   * the change-log follower.
   */
  public void reportFlapping() {
    if (unloggedTransitions.get() == 0 || clock.getAsLong() - lastLoggedMillis.get() < QUIET_MILLIS) {
      return;
    }
    int transitions = unloggedTransitions.getAndSet(0);
    lastLoggedMillis.set(clock.getAsLong());
    if (isOpen()) {
      LOG.warn("Redis at {} flapped ({} more breaker transitions within a second); circuit breaker open ({})",
          address, transitions, lastFailure);
    } else {
      LOG.info("Redis at {} flapped ({} more breaker transitions within a second); circuit breaker closed",
          address, transitions);
    }
  }
}
