package io.distcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.coherence.ChangeRecord;
import io.distcache.jcache.coherence.FlushCause;
import io.distcache.jcache.configuration.ProviderSettings;
import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.jcache.configuration.SettingsLoader;
import io.distcache.jcache.counters.CacheMetrics;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.jcache.redis.RedisConnections;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cache's coherence listener on its own, over a real namespace store: what each change-log callback does to the
 * near cache, the store's reads and the cache's counters.
 */
class NearCoherenceTest {

  @StartedRedis
  private RedisServer redis;
  private RedisConnections connections;
  private NamespaceStore store;
  private final NearCache<String> near = new NearCache<>(1_000, 1_000_000, Duration.ofMinutes(1),
      Duration.ofMinutes(1), true);
  private final CacheMetrics metrics = new CacheMetrics();
  private NearCoherence<String> coherence;

  @BeforeEach
  void connect() {
    ProviderSettings settings = SettingsLoader.load(URI.create(redis.uri()), getClass().getClassLoader(),
        new Properties(), Map.of(), new Properties());
    connections = new RedisConnections(settings);
    store = new NamespaceStore(connections, Namespace.of("coherence-test", "ns"), ReadFrom.MASTER,
        Duration.ofSeconds(2), 1000, "test", Duration.ofSeconds(2));
    coherence = new NearCoherence<>("prices", store, near, NearCoherenceTest::decodeKey, metrics, null, null);
  }

  @AfterEach
  void disconnect() {
    connections.close();
  }

  /** Keys are their own encoding here, except those starting with "bad", which no JVM could decode. */
  private static String decodeKey(String encodedKey) {
    if (encodedKey.startsWith("bad")) {
      throw new IllegalArgumentException("no decoder for " + encodedKey);
    }
    return encodedKey;
  }

  private void hold(String key, long version) {
    near.fill(key, key + "@" + version, version, -1, 10, near.ticket(), store.namespace());
  }

  private boolean held(String key) {
    return near.get(key, store.namespace()) != null;
  }

  @Test
  void aRecordDropsTheNearCopyItOutdatesAndAClearDropsOlderOnes() {
    hold("a", 3);
    hold("b", 3);
    hold("c", 9);

    coherence.onChanges(List.of(new ChangeRecord("a", 5)));
    assertThat(held("a")).isFalse();
    assertThat(held("b")).isTrue();

    coherence.onChanges(List.of(new ChangeRecord(Namespace.CLEAR_MARKER, 6)));
    assertThat(held("b")).as("older than the clear").isFalse();
    assertThat(held("c")).as("newer than the clear").isTrue();
    assertThat(metrics.flushes(FlushCause.LOG_GAP)).isZero();
  }

  @Test
  void aRecordOfAKeyThisJvmCannotDecodeFlushesTheNearCacheAndTheRestOfTheBatchStillApplies() {
    hold("a", 3);
    hold("b", 3);

    coherence.onChanges(List.of(new ChangeRecord("bad-key", 4), new ChangeRecord("a", 5)));
    hold("b", 4);
    hold("a", 4);

    assertThat(held("b")).as("the flush forgot every version, and nothing since names b").isTrue();
    assertThat(held("a")).as("the record after the undecodable one still applied").isFalse();
    assertThat(metrics.undecodableRecords()).isEqualTo(1);
    assertThat(metrics.flushes(FlushCause.UNDECODABLE_RECORD)).isEqualTo(1);
  }

  @Test
  void aSwitchMovesTheStoresReadsToTheNewSpaceAndFlushesTheNearCache() {
    hold("a", 3);
    coherence.onStale("the namespace lost its data");
    assertThat(metrics.stale()).isTrue();

    coherence.onSwitch("g2", FlushCause.SWITCH, "the producer switched to generation 2");

    assertThat(store.namespace()).isEqualTo(Namespace.of("coherence-test", "ns").inSpace("g2"));
    assertThat(held("a")).isFalse();
    assertThat(metrics.stale()).isFalse();
    assertThat(metrics.flushes(FlushCause.SWITCH)).isEqualTo(1);
  }

  @Test
  void aProducersOwnershipMakesTheNamespaceProducerOwned() {
    assertThat(store.isProducerOwned()).isFalse();
    coherence.onOwner("producer:users");
    assertThat(store.isProducerOwned()).isTrue();
  }

  @Test
  void theApplyLagOfEachRecordWithACommitTimeIsRecorded() {
    List<Long> lags = new ArrayList<>();
    metrics.addApplyLagListener(lags::add);
    long committed = System.currentTimeMillis() - 40;

    coherence.onChanges(List.of(new ChangeRecord("a", 5, null, null, committed), new ChangeRecord("b", 6)));

    assertThat(lags).hasSize(1);
    assertThat(lags.get(0)).isGreaterThanOrEqualTo(40);
  }
}
