package io.distcache.jcache.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.spi.DistCachingProvider;
import io.distcache.testkit.RedisSentinel;
import io.distcache.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A CacheManager given a {@code redis-sentinel://} URI finds the master through Sentinel, and after
 * the master dies and Sentinel promotes its replica, it writes to the new master without a restart.
 */
class SentinelFailoverTest {

  private RedisServer master;
  private RedisServer replica;
  private RedisSentinel sentinel;
  private CacheManager manager;

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.close();
    }
    for (AutoCloseable process : new AutoCloseable[] {sentinel, replica, master}) {
      try {
        if (process != null) {
          process.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void followsTheMasterThroughAFailover() {
    master = RedisServer.start();
    replica = master.startReplica();
    sentinel = RedisSentinel.monitor(master, Duration.ofMillis(1000));
    Properties properties = new Properties();
    properties.setProperty("defaults.command-timeout", "500ms");
    properties.setProperty("outage.retry-interval", "200ms");
    manager = new DistCachingProvider().getCacheManager(URI.create(sentinel.uri()), getClass().getClassLoader(),
        properties);
    Cache<String, String> cache = manager.createCache("accounts", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class));

    cache.put("before", "failover");
    replica.awaitSync();
    master.kill();

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(CacheException.class)
        .until(() -> {
          cache.put("after", "failover");
          return true;
        });

    assertThat(sentinel.masterPort()).isEqualTo(replica.port());
    assertThat(cache.get("after")).isEqualTo("failover");
    assertThat(cache.containsKey("before")).isTrue();
    // in the promoted replica itself, not only through this manager's near copies
    assertThat(replica.command("GET", "dc:accounts:k:s:before")).isNotBlank();
    assertThat(replica.command("GET", "dc:accounts:k:s:after")).isNotBlank();
  }
}
