package io.distcache.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Keeps META-INF-samples/distcache.properties, which users copy, loadable and as documented. */
class SampleConfigurationTest {

  private static final Path SAMPLE = Path.of("../META-INF-samples/distcache.properties");

  @Test
  void theSampleLoadsWithTheValuesItDocuments() {
    ProviderSettings settings = SettingsLoader.load(SAMPLE.toUri(), TestClassLoaders.withoutDefaultFile(), new Properties(), Map.of(),
        new Properties());

    assertThat(settings.redisUri()).isEqualTo("redis://cache-user:change-me@redis.example.internal:6379/0");
    assertThat(settings.replicaUris()).isEmpty();
    assertThat(settings.keyPrefix()).isEqualTo("dc");
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.changeLogMaxLength()).isEqualTo(100_000);
    assertThat(settings.allowedPackages()).containsExactly("com.acme.model");
    assertThat(settings.allowedClasses()).containsExactly("com.acme.billing.Invoice");
    assertThat(settings.trustStore()).isNull();

    CacheSettings defaults = settings.defaults();
    assertThat(defaults.nearMaxItems()).isEqualTo(10_000);
    assertThat(defaults.nearMaxBytes()).isEqualTo(64L << 20);
    assertThat(defaults.nearMaxTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(defaults.readFrom()).isEqualTo(ReadFrom.REPLICA_PREFERRED);
    assertThat(defaults.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.statisticsEnabled()).isTrue();

    assertThat(settings.caches()).containsOnlyKeys("users", "com.acme.Author");
    CacheSettings users = settings.forCache("users");
    assertThat(users.namespace()).isEqualTo("users-v2");
    assertThat(users.nearMaxItems()).isEqualTo(50_000);
    assertThat(users.nearMaxTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(users.keyType()).isEqualTo("java.lang.String");
    assertThat(users.statisticsEnabled()).as("inherited from defaults.statistics").isTrue();
    CacheSettings author = settings.forCache("com.acme.Author");
    assertThat(author.namespace()).isNull();
    assertThat(author.nearMaxItems()).isEqualTo(20_000);
    assertThat(author.readFrom()).isEqualTo(ReadFrom.MASTER);
    assertThat(author.managementEnabled()).isTrue();
  }
}
