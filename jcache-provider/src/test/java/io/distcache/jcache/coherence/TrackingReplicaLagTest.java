package io.distcache.jcache.coherence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.DistCache;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.spi.DistCachingProvider;
import io.distcache.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client tracking (a namespace written by a foreign tool that does not log its changes) while the
 * replica the cache reads from trails the master ({@code CLIENT PAUSE <ms> WRITE} on the replica). The
 * tracking push comes from the master at once; the replica still answers with the value it replaced.
 * That answer must be neither returned nor cached, whether or not the key was held near when the
 * invalidation arrived.
 */
class TrackingReplicaLagTest {

  private static final int PROBES = 20;

  private RedisServer master;
  private RedisServer replica;
  private ForeignWriter foreign;
  private CacheManager manager;
  private Cache<String, String> prices;

  @BeforeEach
  void start() {
    master = RedisServer.start();
    replica = master.startReplica();
    foreign = new ForeignWriter(master.uri(), "foreign");
    Properties properties = new Properties();
    properties.setProperty("tracking.namespaces", "foreign");
    manager = new DistCachingProvider().getCacheManager(URI.create(master.uri()), getClass().getClassLoader(),
        properties);
    prices = manager.createCache("prices", new DistCacheConfiguration<String, String>()
        .setNamespace("foreign").setTypes(String.class, String.class));
    awaitReadsFromTheReplica();
  }

  /**
   * Tracking enabled for the namespace flushes the cache, which then reads the master for as long as a replica may
   * trail unnoticed: the scenarios need it to read the replica. A burst of reads shows it (the lag check's own GETs
   * are a few a second).
   */
  private void awaitReadsFromTheReplica() {
    AtomicInteger probe = new AtomicInteger();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      // tracking is enabled in the background: its flush must come before the burst, or it moves reads to the
      // master again after it
      boolean flushed = prices.unwrap(DistCache.class).metrics().flushes(FlushCause.TRACKING_RESTARTED) > 0;
      return replica.answers("get", PROBES, () -> IntStream.range(0, PROBES)
          .forEach(i -> prices.get("probe-" + probe.getAndIncrement()))) && flushed;
    });
  }

  @AfterEach
  void stop() {
    manager.close();
    foreign.close();
    replica.stop();
    master.stop();
  }

  @Test
  void aKeyHeldNearIsNotReadBackFromTheLaggingReplica() {
    writeForeign("apple", "1.00", 1);
    replica.awaitSync();
    await().atMost(Duration.ofSeconds(5)).until(() -> "1.00".equals(prices.get("apple")) && isNear("apple"));
    replica.command("CLIENT", "PAUSE", "3000", "WRITE");

    writeForeign("apple", "1.10", 2);
    await().atMost(Duration.ofSeconds(2)).until(() -> !isNear("apple"));

    assertThat(prices.get("apple")).isEqualTo("1.10");
    assertThat(prices.get("apple")).isEqualTo("1.10");
  }

  @Test
  void aKeyNotHeldNearWhenItsInvalidationArrivedIsNotCachedFromTheLaggingReplica() {
    writeForeign("apple", "1.00", 1);
    writeForeign("pear", "2.00", 1);
    replica.awaitSync();
    await().atMost(Duration.ofSeconds(5)).until(() -> "2.00".equals(prices.get("pear")) && isNear("pear"));
    replica.command("CLIENT", "PAUSE", "3000", "WRITE");

    writeForeign("apple", "1.10", 2);
    // Pushes arrive in order on the one tracking connection: once pear's is applied, apple's was too.
    writeForeign("pear", "2.10", 2);
    await().atMost(Duration.ofSeconds(2)).until(() -> !isNear("pear"));

    assertThat(prices.get("apple")).isEqualTo("1.10");
    assertThat(prices.get("apple")).as("the near copy").isEqualTo("1.10");
  }

  private void writeForeign(String key, String value, long version) {
    foreign.write(key, value, version);
  }

  private boolean isNear(String key) {
    return prices.unwrap(DistCache.class).nearCopy(key) != null;
  }
}
