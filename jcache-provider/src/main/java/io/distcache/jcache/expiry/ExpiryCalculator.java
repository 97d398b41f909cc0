package io.distcache.jcache.expiry;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.configuration.ConfigurationException;
import java.util.function.Supplier;
import javax.cache.configuration.Factory;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a JCache {@link ExpiryPolicy} into the TTLs the Redis scripts understand: milliseconds,
 * {@link #ETERNAL}, {@link #KEEP} (leave the current TTL alone) or {@link #EXPIRED} (zero: the
 * entry must not outlive the operation).
 *
 * <p>Each method calls the policy exactly once, as the specification's expiry table requires. A
 * policy that throws is logged and treated as "no change", so a faulty policy cannot fail a cache
 * operation halfway.
 */
public final class ExpiryCalculator {

  /** No expiry. */
  public static final long ETERNAL = -1;
  /** Keep the current TTL. */
  public static final long KEEP = -2;
  /** Expire now. */
  public static final long EXPIRED = 0;

  private static final Logger LOG = LoggerFactory.getLogger(ExpiryCalculator.class);

  private final ExpiryPolicy policy;
  private final boolean eternal;

  /**
   * Wraps the policy the cache's configured factory creates.
   *
   * @throws ConfigurationException naming the cache when the factory creates no policy
   */
  public static ExpiryCalculator create(String cacheName, Factory<? extends ExpiryPolicy> factory) {
    ExpiryPolicy policy = requireNonNull(factory, "factory").create();
    if (policy == null) {
      throw new ConfigurationException("cache '" + cacheName + "': its expiry policy factory " + factory.getClass()
          .getName() + " created no policy; return one (EternalExpiryPolicy for none)");
    }
    return new ExpiryCalculator(policy);
  }

  /** Wraps a policy created from the cache's configuration. */
  public ExpiryCalculator(ExpiryPolicy policy) {
    this.policy = requireNonNull(policy, "policy");
    this.eternal = policy instanceof EternalExpiryPolicy;
  }

  /** The wrapped policy. */
  public ExpiryPolicy policy() {
    return policy;
  }

  /** True for the eternal policy: entries never get a TTL and the policy need not be consulted. */
  public boolean isEternal() {
    return eternal;
  }

  /** TTL for a new entry ({@code null} from the policy means eternal). */
  public long creation() {
    if (eternal) {
      return ETERNAL;
    }
    long ttl = millis(policy::getExpiryForCreation, "getExpiryForCreation");
    return ttl == KEEP ? ETERNAL : ttl;
  }

  /** TTL after an update ({@code null} from the policy means keep). */
  public long update() {
    return eternal ? KEEP : millis(policy::getExpiryForUpdate, "getExpiryForUpdate");
  }

  /** TTL after an access ({@code null} from the policy means keep). */
  public long access() {
    return eternal ? KEEP : millis(policy::getExpiryForAccess, "getExpiryForAccess");
  }

  private long millis(Supplier<Duration> call, String method) {
    Duration duration;
    try {
      duration = call.get();
    } catch (RuntimeException e) {
      LOG.warn("ExpiryPolicy {}.{} threw; keeping the current expiry", policy.getClass().getName(), method, e);
      return KEEP;
    }
    if (duration == null) {
      return KEEP;
    }
    if (duration.isEternal()) {
      return ETERNAL;
    }
    if (duration.isZero()) {
      return EXPIRED;
    }
    return Math.max(1, duration.getTimeUnit().toMillis(duration.getDurationAmount()));
  }
}
