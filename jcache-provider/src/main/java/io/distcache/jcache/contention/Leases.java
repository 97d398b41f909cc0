package io.distcache.jcache.contention;

import io.distcache.jcache.configuration.ContentionSettings;
import io.distcache.jcache.redis.NamespaceStore;
import java.util.Collection;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-key leases of one cache: {@code SET NX PX} on a lease key next to the entry, taken with the
 * entry's current state in one round trip, renewed every third of the lease time while held, checked by
 * the write that commits (which releases it), and released by compare-and-delete otherwise.
 *
 * <p>While a CacheManager holds a key's lease, no other CacheManager that leases the key writes it, so
 * the holder's {@code CacheWriter} call, loader call or entry processor run is the one that commits. A
 * holder that stops (a crash, a pause longer than the lease time) loses the lease when it runs out; its
 * write is then refused rather than applied out of turn.
 */
public final class Leases {

  private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

  private final NamespaceStore store;
  private final ContentionSettings settings;
  private final ScheduledExecutorService renewals;
  private final String cacheName;
  private final Backoff backoff;
  private final String tokenPrefix = UUID.randomUUID() + ":";
  private final AtomicLong tokens = new AtomicLong();
  private final LongAdder waits = new LongAdder();

  /**
   * Creates the leases of cache {@code cacheName}.
   *
   * @param renewals the CacheManager's scheduler that renews held leases
   */
  public Leases(NamespaceStore store, ContentionSettings settings, ScheduledExecutorService renewals,
      String cacheName) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.renewals = Objects.requireNonNull(renewals, "renewals");
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.backoff = new Backoff(settings.maxBackoff());
  }

  /**
   * Takes the lease of a key, waiting with backoff while another writer holds it.
   *
   * @param key the cache key, for the message if the wait times out
   * @throws ContentionException if the lease stayed taken for {@code contention.lease-wait}
   */
  public Lease acquire(String encodedKey, Object key) {
    String token = tokenPrefix + tokens.incrementAndGet();
    long leaseMillis = settings.leaseTime().toMillis();
    long deadline = System.nanoTime() + settings.leaseWait().toNanos();
    for (int attempt = 1; ; attempt++) {
      NamespaceStore.LeaseReply reply = store.acquireLease(encodedKey, token, leaseMillis);
      if (reply.acquired()) {
        if (attempt > 1) {
          waits.increment();
        }
        Lease lease = new Lease(this::release, encodedKey, token, reply.current());
        long period = leaseMillis / 3;
        try {
          lease.renewWith(renewals.scheduleAtFixedRate(() -> renew(lease), period, period, TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
          lease.close();
          throw new CacheException("cache '" + cacheName + "': its CacheManager is closed", e);
        }
        return lease;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new ContentionException("cache '" + cacheName + "' (namespace " + store.namespace() + "): key '" + key
            + "' stayed leased by another writer for " + settings.leaseWait().toMillis() + " ms; look for a writer,"
            + " loader or entry processor that takes that long, or raise contention.lease-wait");
      }
      backoff.pause(attempt, Math.min(left, TimeUnit.MILLISECONDS.toNanos(Math.max(1, reply.remainingMillis()))));
    }
  }

  /** The exception for a write refused because its lease ran out before it committed. */
  public ContentionException lost(Object key) {
    return new ContentionException("cache '" + cacheName + "' (namespace " + store.namespace() + "): the lease on key '"
        + key + "' ran out before the write committed, so nothing was written (a pause longer than"
        + " contention.lease-time?); a CacheWriter called for it must be reconciled. Raise contention.lease-time if"
        + " this JVM pauses that long");
  }

  /** How many leases were taken only after waiting for another holder. */
  public long waits() {
    return waits.sum();
  }

  /**
   * Closes every lease: all renewals stop first, then each is released; a failure to release one does not
   * keep the others (it runs out on its own) and is thrown at the end.
   */
  public static void closeAll(Collection<Lease> held) {
    held.forEach(Lease::stopRenewal);
    RuntimeException failure = null;
    for (Lease lease : held) {
      try {
        lease.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  void release(Lease lease) {
    store.releaseLease(lease.encodedKey(), lease.token());
  }

  /** Restarts a held lease's time; once it is lost, stops: the holder's fenced write will be refused. */
  private void renew(Lease lease) {
    boolean held;
    try {
      held = store.renewLease(lease.encodedKey(), lease.token(), settings.leaseTime().toMillis());
    } catch (RuntimeException e) {
      // Redis is failing: the circuit breaker reports that once; the holder learns of a lost lease from its write.
      LOG.debug("cache '{}': renewing a lease failed ({}); it runs out unless the next renewal succeeds", cacheName,
          e.getMessage());
      return;
    }
    if (!held && !lease.isReleased()) {
      LOG.warn("cache '{}': a lease held by this CacheManager was lost (it ran out or was taken); its write will be"
          + " refused. Raise contention.lease-time if this JVM pauses that long", cacheName);
      lease.markLost();
    }
  }
}
