package io.distcache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.spi.DistCachingProvider;
import java.net.URI;
import java.util.Properties;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The health of a CacheManager without caches yet, and of a closed one (no Redis needed: nothing connects). */
class DistCacheHealthIndicatorTest {

  private final CacheManager manager = new DistCachingProvider().getCacheManager(URI.create("health-test"),
      getClass().getClassLoader(), new Properties());

  @Test
  void aManagerWithoutCachesIsUpWithAnIdleFollower() {
    try {
      Health health = new DistCacheHealthIndicator(manager).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("changeLogFollower", "idle").containsEntry("breaker", "closed");
    } finally {
      manager.close();
    }
  }

  @Test
  void aClosedManagerIsOutOfService() {
    manager.close();
    assertThat(new DistCacheHealthIndicator(manager).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
  }
}
