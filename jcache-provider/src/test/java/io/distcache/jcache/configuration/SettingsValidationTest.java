package io.distcache.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The settings records refuse values no cache could run with, naming the setting, and keep every valid edge value. */
class SettingsValidationTest {

  private static final CacheSettings DEFAULTS = CacheSettings.defaults();

  @Test
  void cacheSettingsRefuseNegativeSizesBlankNamesAndNonPositiveDurations() {
    assertRefused(() -> cache(-1, 0, 0, "kryo", "k", "v", Duration.ofSeconds(1)), "nearMaxItems");
    assertRefused(() -> cache(0, -1, 0, "kryo", "k", "v", Duration.ofSeconds(1)), "nearMaxBytes");
    assertRefused(() -> cache(0, 0, -1, "kryo", "k", "v", Duration.ofSeconds(1)), "compressionThreshold");
    assertRefused(() -> cache(0, 0, 0, " ", "k", "v", Duration.ofSeconds(1)), "codec");
    assertRefused(() -> cache(0, 0, 0, "kryo", " ", "v", Duration.ofSeconds(1)), "keyType");
    assertRefused(() -> cache(0, 0, 0, "kryo", "k", " ", Duration.ofSeconds(1)), "valueType");
    assertRefused(() -> cache(0, 0, 0, "kryo", "k", "v", Duration.ZERO), "commandTimeout");
    assertThat(cache(0, 0, 0, "kryo", "k", "v", Duration.ofNanos(1)).nearMaxItems()).as("zeros are valid").isZero();
  }

  @Test
  void outageSettingsNeedPositiveDurationsAndAThresholdOfOne() {
    Duration second = Duration.ofSeconds(1);
    assertRefused(() -> new OutageSettings(Duration.ZERO, second, 1, second), "staleOnFailure");
    assertRefused(() -> new OutageSettings(second, Duration.ZERO, 1, second), "retryInterval");
    assertRefused(() -> new OutageSettings(second, second, 1, Duration.ZERO), "replicaMaxLag");
    assertRefused(() -> new OutageSettings(second, second, 0, second), "failureThreshold");
    assertThat(new OutageSettings(second, second, 1, second).failureThreshold()).isOne();
    assertThat(OutageSettings.defaults()).isEqualTo(
        new OutageSettings(Duration.ofMinutes(10), second, 2, Duration.ofSeconds(2)));
  }

  @Test
  void contentionSettingsNeedPositiveDurationsOneAttemptAndALeaseOfThreeMillis() {
    Duration second = Duration.ofSeconds(1);
    assertRefused(() -> new ContentionSettings(Duration.ZERO, second, 1, second), "leaseTime");
    assertRefused(() -> new ContentionSettings(second, Duration.ZERO, 1, second), "leaseWait");
    assertRefused(() -> new ContentionSettings(second, second, 1, Duration.ZERO), "maxBackoff");
    assertRefused(() -> new ContentionSettings(second, second, 0, second), "maxAttempts");
    assertRefused(() -> new ContentionSettings(Duration.ofMillis(2), second, 1, second), "leaseTime");
    assertThat(new ContentionSettings(Duration.ofMillis(3), second, 1, second).maxAttempts()).isOne();
    assertThat(ContentionSettings.defaults()).isEqualTo(
        new ContentionSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), 100, Duration.ofMillis(20)));
  }

  @Test
  void leaseScopesSayWhatTakesTheLease() {
    assertThat(LeaseScope.AUTO.leasesWrites(false)).isFalse();
    assertThat(LeaseScope.AUTO.leasesWrites(true)).as("write-through caches always").isTrue();
    assertThat(LeaseScope.WRITES.leasesWrites(false)).isTrue();
    assertThat(LeaseScope.LOADS.leasesWrites(false)).isFalse();
    assertThat(LeaseScope.ALL.leasesWrites(false)).isTrue();
    assertThat(LeaseScope.AUTO.leasesLoads()).isFalse();
    assertThat(LeaseScope.WRITES.leasesLoads()).isFalse();
    assertThat(LeaseScope.LOADS.leasesLoads()).isTrue();
    assertThat(LeaseScope.ALL.leasesLoads()).isTrue();
  }

  @Test
  void onUndecodableParsesItsTwoValuesInAnyCase() {
    assertThat(OnUndecodable.parse(" Miss ")).isEqualTo(OnUndecodable.MISS);
    assertThat(OnUndecodable.parse("FAIL")).isEqualTo(OnUndecodable.FAIL);
    assertThatThrownBy(() -> OnUndecodable.parse(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("miss, fail");
    assertThatThrownBy(() -> OnUndecodable.parse("skip")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tlsUrisAreRecognised() {
    assertThat(RedisUris.usesTls("rediss://h:6379")).isTrue();
    assertThat(RedisUris.usesTls("redis://h:6379")).isFalse();
  }

  @Test
  void clusterSeedsSplitTheHostsAndKeepCredentialsAndOptions() {
    assertThat(RedisUris.clusterSeeds("redis://u:p@a:1, b:2/0?timeout=5s")).containsExactly(
        "redis://u:p@a:1/0?timeout=5s", "redis://u:p@b:2/0?timeout=5s");
    assertThat(RedisUris.clusterSeeds("redis://a:1,b:2#x")).containsExactly("redis://a:1#x", "redis://b:2#x");
    assertThat(RedisUris.clusterSeeds("a:1")).as("no scheme: as given").containsExactly("a:1");
  }

  @Test
  void fluentSettersReturnTheConfigurationItself() {
    DistCacheConfiguration<String, String> configuration = new DistCacheConfiguration<>();
    assertThat(configuration.setStoreByValue(false)).isSameAs(configuration);
    assertThat(configuration.setWriteThrough(false)).isSameAs(configuration);
    assertThat(configuration.setManagementEnabled(false)).isSameAs(configuration);
    assertThat(configuration.setCacheLoaderFactory(null)).isSameAs(configuration);
    assertThat(configuration.setCacheWriterFactory(null)).isSameAs(configuration);
    configuration.setNearMaxTtl(Duration.ofSeconds(7)).setReadFrom(ReadFrom.MASTER)
        .setCommandTimeout(Duration.ofMillis(300));
    assertThat(configuration.getNearMaxTtl()).isEqualTo(Duration.ofSeconds(7));
    assertThat(configuration.getReadFrom()).isEqualTo(ReadFrom.MASTER);
    assertThat(configuration.getCommandTimeout()).isEqualTo(Duration.ofMillis(300));
  }

  private static CacheSettings cache(long items, long bytes, int compression, String codec, String keyType,
      String valueType, Duration commandTimeout) {
    return new CacheSettings(null, items, bytes, DEFAULTS.nearMaxTtl(), DEFAULTS.readFrom(), codec, compression,
        commandTimeout, true, false, false, keyType, valueType, LeaseScope.AUTO, NearOptions.defaults());
  }

  private static void assertRefused(Runnable creation, String setting) {
    assertThatThrownBy(creation::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(setting);
  }
}
