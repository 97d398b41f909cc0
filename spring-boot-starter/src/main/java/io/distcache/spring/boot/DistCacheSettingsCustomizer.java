package io.distcache.spring.boot;

import java.util.Objects;
import java.util.Properties;
import org.springframework.boot.cache.autoconfigure.JCachePropertiesCustomizer;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Hands every {@code distcache.*} property of the Spring environment (application.properties, YAML, profiles,
 * command line) to the provider with the properties of the JCache CacheManager Boot creates. Values pass as
 * written, placeholders resolved, so the provider's own parser and its checks apply: an unknown
 * {@code distcache.*} key fails the start with the provider's message naming the key. Environment variables
 * ({@code DISTCACHE_REDIS_URI}) and {@code -Ddistcache.*} system properties are read by the provider itself.
 */
final class DistCacheSettingsCustomizer implements JCachePropertiesCustomizer {

  static final String PREFIX = "distcache.";

  private final ConfigurableEnvironment environment;

  DistCacheSettingsCustomizer(ConfigurableEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public void customize(Properties properties) {
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          // The first source that names a key wins, as in the environment; resolution applies its precedence.
          if (name.startsWith(PREFIX) && !properties.containsKey(name)) {
            properties.setProperty(name, environment.getProperty(name, ""));
          }
        }
      }
    }
  }
}
