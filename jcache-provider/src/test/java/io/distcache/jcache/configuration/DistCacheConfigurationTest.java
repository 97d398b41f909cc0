package io.distcache.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.EternalExpiryPolicy;
import org.junit.jupiter.api.Test;

class DistCacheConfigurationTest {

  private static final CacheSettings BASE = new CacheSettings("base-ns", 1, 2, Duration.ofSeconds(3), ReadFrom.REPLICA,
      "kryo", 4, Duration.ofSeconds(5), false, true, true, "java.lang.Long", "java.lang.Long", LeaseScope.LOADS, NearOptions.defaults());

  private static DistCacheConfiguration<String, Integer> everythingSet() {
    return new DistCacheConfiguration<String, Integer>()
        .setTypes(String.class, Integer.class)
        .setNamespace("users-v2")
        .setNearMaxItems(10)
        .setNearMaxBytes(20)
        .setNearMaxTtl(Duration.ofSeconds(30))
        .setReadFrom(ReadFrom.MASTER)
        .setCompressionThreshold(40)
        .setCommandTimeout(Duration.ofMillis(50))
        .setLease(LeaseScope.WRITES)
        .setStatisticsEnabled(true);
  }

  @Test
  void unsetSettingsKeepTheBaseButJsr107FlagsAlwaysApply() {
    CacheSettings resolved = new DistCacheConfiguration<Object, Object>().resolve(BASE);

    assertThat(resolved).isEqualTo(new CacheSettings("base-ns", 1, 2, Duration.ofSeconds(3), ReadFrom.REPLICA,
        "kryo", 4, Duration.ofSeconds(5), true, false, false, "java.lang.Object", "java.lang.Object", LeaseScope.LOADS, NearOptions.defaults()));
  }

  @Test
  void setSettingsOverrideTheBase() {
    CacheSettings resolved = everythingSet().resolve(BASE);

    assertThat(resolved).isEqualTo(new CacheSettings("users-v2", 10, 20, Duration.ofSeconds(30), ReadFrom.MASTER,
        "kryo", 40, Duration.ofMillis(50), true, true, false, "java.lang.String", "java.lang.Integer", LeaseScope.WRITES, NearOptions.defaults()));
  }

  @Test
  void gettersReturnNullUntilSet() {
    DistCacheConfiguration<Object, Object> empty = new DistCacheConfiguration<>();

    assertThat(empty.getNamespace()).isNull();
    assertThat(empty.getNearMaxItems()).isNull();
    assertThat(empty.getNearMaxBytes()).isNull();
    assertThat(empty.getNearMaxTtl()).isNull();
    assertThat(empty.getReadFrom()).isNull();
    assertThat(empty.getCompressionThreshold()).isNull();
    assertThat(empty.getCommandTimeout()).isNull();
    DistCacheConfiguration<String, Integer> set = everythingSet();
    assertThat(set.getNearMaxItems()).isEqualTo(10L);
    assertThat(set.getCompressionThreshold()).isEqualTo(40);
    assertThat(set.setNamespace(null).setReadFrom(null).setNearMaxTtl(null).getNamespace()).isNull();
    assertThat(set.getReadFrom()).isNull();
    assertThat(set.getNearMaxTtl()).isNull();
  }

  @Test
  void copiesADistCacheConfigurationCompletely() {
    DistCacheConfiguration<String, Integer> original = everythingSet()
        .setExpiryPolicyFactory(EternalExpiryPolicy.factoryOf())
        .setReadThrough(true);

    DistCacheConfiguration<String, Integer> copy = new DistCacheConfiguration<>(original);

    assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original).isNotSameAs(original);
    assertThat(copy.resolve(BASE)).isEqualTo(original.resolve(BASE));
    assertThat(copy.isReadThrough()).isTrue();
    copy.setNearMaxItems(99);
    assertThat(original.getNearMaxItems()).as("the copy is independent").isEqualTo(10L);
    assertThat(copy).isNotEqualTo(original);
  }

  @Test
  void copiesThePlainJsr107PartOfAMutableConfiguration() {
    MutableConfiguration<String, Integer> plain = new MutableConfiguration<String, Integer>()
        .setTypes(String.class, Integer.class)
        .setStoreByValue(false)
        .setManagementEnabled(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(NoLoader.class));

    DistCacheConfiguration<String, Integer> copy = new DistCacheConfiguration<>(plain);

    assertThat(copy.getKeyType()).isEqualTo(String.class);
    assertThat(copy.isStoreByValue()).isFalse();
    assertThat(copy.isManagementEnabled()).isTrue();
    assertThat(copy.getCacheLoaderFactory()).isEqualTo(plain.getCacheLoaderFactory());
    assertThat(copy.getNearMaxItems()).isNull();
    assertThat(copy.resolve(CacheSettings.defaults()))
        .isEqualTo(new CacheSettings(null, 10_000, 64L << 20, Duration.ofMinutes(10), ReadFrom.REPLICA_PREFERRED, "kryo",
            4096, Duration.ofSeconds(2), false, false, true, "java.lang.String", "java.lang.Integer",
            LeaseScope.AUTO, NearOptions.defaults()));
  }

  @Test
  void settersRejectValuesNoCacheCouldUse() {
    DistCacheConfiguration<Object, Object> configuration = new DistCacheConfiguration<>();

    assertThatThrownBy(() -> configuration.setNearMaxItems(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nearMaxItems");
    assertThatThrownBy(() -> configuration.setNearMaxBytes(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> configuration.setCompressionThreshold(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> configuration.setNearMaxTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nearMaxTtl");
    assertThatThrownBy(() -> configuration.setCommandTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> configuration.setNamespace("has space")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'has space'");
  }

  /** A loader class for a factory; never instantiated by these tests. */
  public static final class NoLoader implements javax.cache.integration.CacheLoader<String, Integer> {
    @Override
    public Integer load(String key) {
      return null;
    }

    @Override
    public java.util.Map<String, Integer> loadAll(Iterable<? extends String> keys) {
      return java.util.Map.of();
    }
  }
}
