package io.distcache.spring.boot;

import java.util.Objects;
import java.util.Properties;
import org.springframework.boot.cache.autoconfigure.JCachePropertiesCustomizer;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Hands every {@code distcache.*} property of the Spring environment (application.properties, YAML, profiles,
 * command line) to the provider with the properties of the JCache CacheManager Boot creates. Values pass as
 * written, placeholders resolved, so the provider's own parser and its checks apply: an unknown
 * {@code distcache.*} key fails the start with the provider's message naming the key. Environment variables
 * ({@code DISTCACHE_REDIS_URI}) and {@code -Ddistcache.*} system properties are read by the provider itself.
 */
final class DistCacheSettingsCustomizer implements JCachePropertiesCustomizer {

  private final ConfigurableEnvironment environment;

  DistCacheSettingsCustomizer(ConfigurableEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public void customize(Properties properties) {
    EnvironmentSettings.of(environment).forEach(properties::putIfAbsent);
  }
}
