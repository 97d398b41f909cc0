package io.distcache.jcache.configuration;

import javax.cache.CacheException;

/**
 * Thrown when distcache's configuration cannot be used: an unknown key, a bad value, a missing or
 * unreadable configuration file.
 *
 * <p>Messages name the key, the offending value (passwords are masked), the source it came from
 * (a file path, a classpath resource, {@code system property distcache.x},
 * {@code environment variable DISTCACHE_X}, the properties passed to {@code getCacheManager} or the
 * CacheManager URI) and what to do about it. It extends {@link CacheException} because JSR-107
 * callers ({@code Caching.getCachingProvider().getCacheManager(...)}) only expect that type.
 */
public final class ConfigurationException extends CacheException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a complete, user-facing message.
   *
   * @param message what is wrong, where it comes from and how to fix it; must not contain secrets
   */
  public ConfigurationException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a complete, user-facing message and its cause.
   *
   * @param message what is wrong, where it comes from and how to fix it; must not contain secrets
   * @param cause the underlying failure; its own message must not contain secrets either
   */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A value that does not parse or is out of range.
   *
   * @param shownValue the value as it may be displayed, i.e. already masked
   * @param problem what was expected, e.g. {@code "expected a duration such as 10s"}
   */
  static ConfigurationException invalidValue(String key, String shownValue, String source, String problem) {
    return new ConfigurationException("Invalid value '" + shownValue + "' for configuration key '" + key
        + "' (from " + source + "): " + problem
        + ". Correct the value, or remove the key to use the default.");
  }

  /** A key distcache does not know; {@code hint} says what was probably meant. */
  static ConfigurationException unknownKey(String key, String source, String hint) {
    return new ConfigurationException("Unknown configuration key '" + key + "' (from " + source + "): "
        + hint + (hint.endsWith("?") ? " " : ". ") + "Correct or remove the key; the configuration reference lists"
        + " every key.");
  }
}
