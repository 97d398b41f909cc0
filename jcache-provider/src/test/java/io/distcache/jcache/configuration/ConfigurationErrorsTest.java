package io.distcache.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of configuration error names the key, the value and its source. */
class ConfigurationErrorsTest {

  private static final ClassLoader NO_DEFAULT_FILE = TestClassLoaders.withoutDefaultFile();

  @TempDir
  Path dir;

  private ConfigurationException loadFileFailure(String line) throws IOException {
    Path file = Files.writeString(dir.resolve("distcache.properties"), line + "\n");
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
        () -> SettingsLoader.load(file.toUri(), NO_DEFAULT_FILE, null, null, null));
    assertThat(thrown).isInstanceOf(ConfigurationException.class).isInstanceOf(CacheException.class);
    assertThat(thrown.getMessage()).contains("file " + file.toAbsolutePath());
    return (ConfigurationException) thrown;
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "defaults.near.max-items        | -5           | expected a whole number >= 0",
      "cache[users].near.max-items    | lots         | expected a whole number >= 0",
      "cache[users].near.max-bytes    | -1MiB        | expected a size >= 0",
      "cache[users].near.max-bytes    | 64 MegaBytes | expected a size >= 0",
      "defaults.near.max-bytes        | 99999999999GiB | does not fit in 64 bits",
      "defaults.compression-threshold | 4GiB         | at most 2147483647 bytes",
      "cache[a.b##c].near.max-ttl     | 10           | expected a positive duration",
      "defaults.near.max-ttl          | 0s           | expected a positive duration",
      "defaults.command-timeout       | -PT1S        | expected a positive duration",
      "redis.connect-timeout          | 10 minutes   | expected a positive duration",
      "defaults.read-from             | nearest      | expected one of master, replica, replicaPreferred",
      "cache[users].codec             | java         | expected kryo",
      "defaults.statistics            | yes          | expected true or false",
      "cache[users].key-type          | java.lang.   | expected a fully qualified class name",
      "cache[users].namespace         | my ns        | expected a namespace name",
      "change-log.max-length          | 0            | expected a whole number > 0",
      "redis.key-prefix               | {dc}         | without blanks or braces",
      "codec.allowed-packages         | com.acme,1x  | expected package names",
      "redis.uri                      | http://h     | expected a Redis URI",
      "redis.uri                      | redis://h:abc | host or port is invalid",
      "redis.replicas                 | redis-sentinel://h:26379#m | one replica node",
      "redis.cluster                  | yes          | expected true or false",
  })
  void aBadValueNamesKeyValueSourceAndExpectation(String key, String value, String expectation) throws IOException {
    ConfigurationException e = loadFileFailure(key + "=" + value);

    assertThat(e.getMessage())
        .contains("Invalid value '" + value + "'")
        .contains("key '" + key + "'")
        .contains(expectation)
        .contains("remove the key to use the default");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "redis-sentinel://h1:26379,h2:26379#m | the seed nodes of a Redis Cluster",
      "redis://h1:7000,h2:abc               | host or port is invalid",
  })
  void aClusterUriMustListRedisNodes(String uri, String expectation) throws IOException {
    ConfigurationException e = loadFileFailure("redis.cluster=true\nredis.uri=" + uri);

    assertThat(e.getMessage()).contains("key 'redis.uri'").contains(expectation);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "cache[users].near.max-itemz    | did you mean 'cache[users].near.max-items'?",
      "defaults.near.maxitems         | did you mean 'defaults.near.max-items'?",
      "redis.url                      | did you mean 'redis.uri'?",
      "distcache.redis.ur             | did you mean 'distcache.redis.uri'?",
      "near.max-items                 | did you mean 'defaults.near.max-items' or 'cache[<name>].near.max-items'?",
      "defaults.namespace             | namespace can only be set per cache",
      "cache[].near.max-items         | cache keys look like cache[<cache name>].<setting>",
      "cache[users]                   | cache keys look like cache[<cache name>].<setting>",
      "totally.unrelated              | expected one of redis.uri",
  })
  void anUnknownKeyInAFileNamesItAndSuggestsTheIntendedOne(String key, String hint) throws IOException {
    ConfigurationException e = loadFileFailure(key + "=1");

    assertThat(e.getMessage()).contains("Unknown configuration key '" + key + "'").contains(hint);
  }

  @Test
  void anUnknownDistcacheSystemPropertyIsAnErrorNamingIt() {
    Properties system = new Properties();
    system.setProperty("distcache.cache[users].near.max-itemz", "5");

    assertThatThrownBy(() -> SettingsLoader.load(null, NO_DEFAULT_FILE, null, null, system))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("(from system property distcache.cache[users].near.max-itemz)")
        .hasMessageContaining("did you mean 'distcache.cache[users].near.max-items'?");
  }

  @Test
  void aBadSystemPropertyValueNamesTheProperty() {
    Properties system = new Properties();
    system.setProperty("distcache.cache[users].near.max-items", "-1");

    assertThatThrownBy(() -> SettingsLoader.load(null, NO_DEFAULT_FILE, null, null, system))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'-1'")
        .hasMessageContaining("'cache[users].near.max-items'")
        .hasMessageContaining("(from system property distcache.cache[users].near.max-items)");
  }

  @Test
  void aBadEnvironmentVariableValueNamesTheVariable() {
    Map<String, String> environment = Map.of("DISTCACHE_DEFAULTS_NEAR_MAX_TTL", "forever");

    assertThatThrownBy(() -> SettingsLoader.load(null, NO_DEFAULT_FILE, null, environment, null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'forever'")
        .hasMessageContaining("'defaults.near.max-ttl'")
        .hasMessageContaining("(from environment variable DISTCACHE_DEFAULTS_NEAR_MAX_TTL)");
  }

  @Test
  void aDistcacheOrScopedTypoInThePropertiesArgumentIsAnError() {
    Properties prefixed = new Properties();
    prefixed.setProperty("distcache.redis.urii", "redis://h");
    Properties scoped = new Properties();
    scoped.setProperty("cache[users].near.max-itms", "1");

    assertThatThrownBy(() -> SettingsLoader.load(null, NO_DEFAULT_FILE, prefixed, null, null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'distcache.redis.urii' (from the properties passed to getCacheManager)");
    assertThatThrownBy(() -> SettingsLoader.load(null, NO_DEFAULT_FILE, scoped, null, null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'cache[users].near.max-itms' (from the properties passed to getCacheManager)");
  }

  @Test
  void anInvalidCacheManagerRedisUriNamesItWithoutItsPassword() {
    URI uri = URI.create("redis://admin:hunter2@h:abc");

    assertThatThrownBy(() -> SettingsLoader.load(uri, NO_DEFAULT_FILE, null, null, null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'redis.uri' (from CacheManager URI redis://admin:***@h:abc)")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void anUnparseableRedisUriIsReportedWithoutItsPasswordOrCause() throws IOException {
    ConfigurationException e = loadFileFailure("redis.uri=redis://admin:hunter 2@h");

    assertThat(e.getMessage()).contains("'redis://admin:***@h'").doesNotContain("hunter");
    assertThat(e.getCause()).as("parser exceptions quote the password").isNull();
  }

  @Test
  void aTrustStorePasswordWithoutTrustStoreIsAnErrorWithoutThePassword() throws IOException {
    ConfigurationException e = loadFileFailure("redis.tls.trust-store-password=hunter2");

    assertThat(e.getMessage())
        .contains("redis.tls.trust-store-password")
        .contains("redis.tls.trust-store is not")
        .doesNotContain("hunter2");
  }

  @Test
  void anEmptyTrustStoreIsReportedWithTheTrustStoreKey() throws IOException {
    ConfigurationException e = loadFileFailure("redis.tls.trust-store=   ");

    assertThat(e.getMessage()).contains("'redis.tls.trust-store'").contains("expected a non-empty value");
  }
}
