package io.distcache.spring.boot;

import io.distcache.jcache.DistCacheManager;
import io.distcache.jcache.coherence.ChangeLogFollower;
import io.distcache.jcache.redis.CircuitBreaker;
import java.util.Locale;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of the application's distcache CacheManager: {@code UP} while Redis answers (the circuit breaker in
 * front of it is closed) and the change-log follower runs; {@code DOWN} while Redis is unreachable (near-cache hits
 * are still served, for {@code outage.stale-on-failure}) or the follower has stopped; {@code OUT_OF_SERVICE} once
 * the CacheManager is closed. The follower and its failures feed the breaker every 250 ms or so, so an outage shows
 * here without any cache traffic.
 */
final class DistCacheHealthIndicator implements HealthIndicator {

  private final javax.cache.CacheManager cacheManager;

  DistCacheHealthIndicator(javax.cache.CacheManager cacheManager) {
    this.cacheManager = Objects.requireNonNull(cacheManager, "cacheManager");
  }

  @Override
  public Health health() {
    if (!(cacheManager instanceof DistCacheManager manager)) {
      return Health.unknown().withDetail("cacheManager", "not a distcache CacheManager: "
          + cacheManager.getClass().getName()).build();
    }
    if (manager.isClosed()) {
      return Health.outOfService().withDetail("cacheManager", "closed").build();
    }
    CircuitBreaker.State breaker = manager.breakerState();
    ChangeLogFollower follower = manager.changeLogFollower();
    // No follower before the first cache: nothing to follow yet, which is no fault.
    boolean stopped = follower != null && !follower.isRunning();
    Health.Builder health = breaker == CircuitBreaker.State.CLOSED && !stopped ? Health.up() : Health.down();
    return health
        .withDetail("redis", breaker == CircuitBreaker.State.CLOSED ? "reachable" : "unreachable")
        .withDetail("breaker", breaker.name().toLowerCase(Locale.ROOT))
        .withDetail("changeLogFollower", follower == null ? "idle" : stopped ? "stopped" : "running")
        .withDetail("replicaReadsOnMaster", manager.replicaReadsOnMaster())
        .withDetail("caches", manager.getCacheNames())
        .build();
  }
}
