package io.distcache.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordMaskingTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "redis://u:secret@127.0.0.1:6380            | redis://u:***@127.0.0.1:6380",
      "redis://secret@h/3                         | redis://***@h/3",
      "redis://:secret@h                          | redis://:***@h",
      "rediss://u:s@cr@t@h:6379?timeout=5s        | rediss://u:***@h:6379?timeout=5s",
      "redis-sentinel://pw@s1:26379,s2:26379/0#m  | redis-sentinel://***@s1:26379,s2:26379/0#m",
      "redis://u:a@r1:6379,redis://u:b@r2:6379    | redis://u:***@r1:6379,redis://u:***@r2:6379",
      "redis://r1:6379,redis://u:b@r2             | redis://r1:6379,redis://u:***@r2",
      "redis://h:6379                             | redis://h:6379",
      "u:secret@h:6379                            | ***@h:6379",
      "redis://u:pa/ss@h                          | redis://u:***@h",
  })
  void masksEveryPasswordAndKeepsTheRest(String text, String masked) {
    assertThat(RedisUris.mask(text)).isEqualTo(masked);
  }

  @Test
  void providerSettingsNeverShowPasswords() {
    Properties properties = new Properties();
    properties.setProperty("redis.replicas", "redis://u:replica-secret@r1:6379");
    properties.setProperty("redis.tls.trust-store", "/etc/ca.p12");
    properties.setProperty("redis.tls.trust-store-password", "store-secret");

    ProviderSettings settings = SettingsLoader.load(URI.create("rediss://u:uri-secret@h:6380"), TestClassLoaders.withoutDefaultFile(),
        properties, Map.of(), new Properties());

    assertThat(settings.redisUriForDisplay()).isEqualTo("rediss://u:***@h:6380");
    assertThat(settings.toString())
        .contains("redisUri=rediss://u:***@h:6380", "replicaUris=[redis://u:***@r1:6379]", "trustStorePassword=***",
            "trustStore=/etc/ca.p12")
        .doesNotContain("uri-secret", "replica-secret", "store-secret");
    assertThat(settings.source()).doesNotContain("uri-secret");
    assertThat(settings.redisUri()).as("the connection needs the real URI").contains("uri-secret");
  }

  @Test
  void absentTrustStorePasswordShowsAsNull() {
    assertThat(ProviderSettings.builtIn().toString()).contains("trustStorePassword=null");
  }
}
