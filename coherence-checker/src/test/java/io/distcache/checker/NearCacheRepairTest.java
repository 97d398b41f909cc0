package io.distcache.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.near.NearEntry;
import java.time.Duration;
import java.util.Properties;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a near cache keeps after its CacheManager was cut off from Redis (through a
 * {@link TcpProxy}) while the namespace changed: exactly the changed keys are dropped when the
 * change log still covers the gap; the whole namespace is dropped when it does not (trimmed log)
 * or when Redis lost the namespace (FLUSHALL: a new generation).
 */
class NearCacheRepairTest {

  private static final int KEYS = 16;
  private static final int CHANGED = 4;
  private static final Duration REPAIR_LIMIT = Duration.ofSeconds(5);

  private RedisTopology topology;
  private TcpProxy proxy;
  private CoherenceChecker checker;

  @BeforeEach
  void start() {
    topology = RedisTopology.start(0);
    proxy = new TcpProxy(topology.master().host(), topology.master().port());
    Properties throughProxy = new Properties();
    throughProxy.setProperty("redis.uri", proxy.uri());
    checker = new CoherenceChecker(TestOptions.faults().withEdges(1).withKeys(KEYS),
        topology.managerProperties(), edge -> throughProxy);
    IntStream.range(0, KEYS).forEach(key -> checker.readOnce(0, key));
    assertThat(IntStream.range(0, KEYS).filter(key -> checker.edge(0).nearCopy(checker.key(key)) != null).count())
        .as("near entries after reading every key").isEqualTo(KEYS);
  }

  @AfterEach
  void stop() {
    checker.close();
    proxy.close();
    topology.close();
  }

  @Test
  void disconnectCoveredByTheChangeLogDropsOnlyTheChangedKeys() {
    proxy.cut();
    IntStream.range(0, CHANGED).forEach(key -> assertThat(checker.writeOnce(key)).isTrue());
    proxy.restore();

    awaitChangedKeysRepaired();
    for (int key = CHANGED; key < KEYS; key++) {
      NearEntry.Present kept = checker.edge(0).nearCopy(checker.key(key));
      assertThat(kept).as("untouched %s is still cached", checker.key(key)).isNotNull();
      assertThat(kept.value()).isEqualTo(checker.ledger().acknowledged(key));
    }
  }

  @Test
  void changeLogTrimmedPastTheLastReadIdFlushesTheNamespace() {
    proxy.cut();
    IntStream.range(0, CHANGED).forEach(key -> assertThat(checker.writeOnce(key)).isTrue());
    topology.master().command("XTRIM", changeLogKey(), "MAXLEN", "0");
    // One record after the trim, so the log is not empty and starts after the edge's last id.
    assertThat(checker.writeOnce(CHANGED)).isTrue();
    proxy.restore();

    awaitNamespaceFlushed(CHANGED + 1);
  }

  @Test
  void flushAllWhileConnectedFlushesTheNamespace() {
    checker.ledger().dataLost();
    topology.master().command("FLUSHALL");
    assertThat(checker.writeOnce(0)).isTrue();

    awaitNamespaceFlushed(1);
  }

  @Test
  void flushAllWhileCutOffFlushesTheNamespace() {
    proxy.cut();
    checker.ledger().dataLost();
    topology.master().command("FLUSHALL");
    assertThat(checker.writeOnce(0)).isTrue();
    proxy.restore();

    awaitNamespaceFlushed(1);
  }

  private void awaitChangedKeysRepaired() {
    await().atMost(REPAIR_LIMIT).untilAsserted(() -> {
      for (int key = 0; key < CHANGED; key++) {
        NearEntry.Present entry = checker.edge(0).nearCopy(checker.key(key));
        assertThat(entry == null || entry.value().equals(checker.ledger().acknowledged(key)))
            .as("%s dropped or refreshed", checker.key(key)).isTrue();
      }
    });
  }

  /**
   * Waits until no near entry differs from what Redis should hold, then checks that the keys not
   * written since were dropped, not merely left alone.
   */
  private void awaitNamespaceFlushed(int rewritten) {
    await().atMost(REPAIR_LIMIT).untilAsserted(() -> {
      for (int key = rewritten; key < KEYS; key++) {
        assertThat(checker.edge(0).nearCopy(checker.key(key))).as("%s after the namespace was flushed", checker.key(key))
            .isNull();
      }
      for (int key = 0; key < rewritten; key++) {
        NearEntry.Present entry = checker.edge(0).nearCopy(checker.key(key));
        assertThat(entry == null || entry.value().equals(checker.ledger().expectedInRedis(key)))
            .as("%s dropped or refreshed", checker.key(key)).isTrue();
      }
    });
    for (int key = 0; key < rewritten; key++) {
      assertThat(checker.readOnce(0, key)).as("%s read after the repair", checker.key(key))
          .isEqualTo(checker.ledger().expectedInRedis(key));
    }
  }

  private String changeLogKey() {
    return new FaultInjector(topology, checker, Duration.ZERO).changeLogKey();
  }
}
