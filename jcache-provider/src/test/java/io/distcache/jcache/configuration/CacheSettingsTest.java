package io.distcache.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CacheSettingsTest {

  @Test
  void defaultsMatchTheDocumentedValues() {
    CacheSettings defaults = CacheSettings.defaults();

    assertThat(defaults.namespace()).isNull();
    assertThat(defaults.nearMaxItems()).isEqualTo(10_000);
    assertThat(defaults.nearMaxBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(defaults.nearMaxTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(defaults.readFrom()).isEqualTo(ReadFrom.REPLICA_PREFERRED);
    assertThat(defaults.codec()).isEqualTo("kryo");
    assertThat(defaults.compressionThreshold()).isEqualTo(4096);
    assertThat(defaults.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.storeByValue()).isTrue();
    assertThat(defaults.statisticsEnabled()).isFalse();
    assertThat(defaults.managementEnabled()).isFalse();
    assertThat(defaults.keyType()).isEqualTo("java.lang.Object");
    assertThat(defaults.valueType()).isEqualTo("java.lang.Object");
  }

  @Test
  void providerBuiltInsMatchTheDocumentedValues() {
    ProviderSettings builtIn = ProviderSettings.builtIn();

    assertThat(builtIn.redisUri()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(builtIn.replicaUris()).isEmpty();
    assertThat(builtIn.keyPrefix()).isEqualTo("dc");
    assertThat(builtIn.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(builtIn.changeLogMaxLength()).isEqualTo(100_000);
    assertThat(builtIn.allowedPackages()).isEmpty();
    assertThat(builtIn.allowedClasses()).isEmpty();
    assertThat(builtIn.trustStore()).isNull();
    assertThat(builtIn.trustStorePassword()).isNull();
    assertThat(builtIn.defaults()).isEqualTo(CacheSettings.defaults());
    assertThat(builtIn.caches()).isEmpty();
    assertThat(builtIn.forCache("anything")).isSameAs(builtIn.defaults());
  }

  @Test
  void rejectsOutOfRangeComponents() {
    CacheSettings d = CacheSettings.defaults();

    assertThatThrownBy(() -> new CacheSettings(d.namespace(), -1, d.nearMaxBytes(), d.nearMaxTtl(), d.readFrom(),
        d.codec(), d.compressionThreshold(), d.commandTimeout(), true, false, false, d.keyType(), d.valueType(),
        LeaseScope.AUTO, NearOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nearMaxItems");
    assertThatThrownBy(() -> new CacheSettings(d.namespace(), 1, 1, Duration.ZERO, d.readFrom(),
        d.codec(), d.compressionThreshold(), d.commandTimeout(), true, false, false, d.keyType(), d.valueType(),
        LeaseScope.AUTO, NearOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nearMaxTtl");
    assertThatThrownBy(() -> new CacheSettings(" ", 1, 1, d.nearMaxTtl(), d.readFrom(),
        d.codec(), d.compressionThreshold(), d.commandTimeout(), true, false, false, d.keyType(), d.valueType(),
        LeaseScope.AUTO, NearOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
    assertThatThrownBy(() -> new CacheSettings(null, 1, 1, d.nearMaxTtl(), null,
        d.codec(), d.compressionThreshold(), d.commandTimeout(), true, false, false, d.keyType(), d.valueType(),
        LeaseScope.AUTO, NearOptions.defaults()))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("readFrom");
  }

  @ParameterizedTest
  @ValueSource(strings = {"replicaPreferred", "replica-preferred", "REPLICA_PREFERRED", " ReplicaPreferred "})
  void readFromAcceptsEverySpellingOfReplicaPreferred(String text) {
    assertThat(ReadFrom.parse(text)).isEqualTo(ReadFrom.REPLICA_PREFERRED);
  }

  @Test
  void readFromParsesMasterAndReplica() {
    assertThat(ReadFrom.parse("MASTER")).isEqualTo(ReadFrom.MASTER);
    assertThat(ReadFrom.parse("replica")).isEqualTo(ReadFrom.REPLICA);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "nearest", "replicas", "upstream"})
  void readFromRejectsOtherValuesListingTheValidOnes(String text) {
    assertThatThrownBy(() -> ReadFrom.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("master, replica, replicaPreferred");
  }
}
