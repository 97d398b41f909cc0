package io.distcache.producer.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves references to secrets kept out of the configuration file, as Kafka Connect's config providers
 * do: {@code ${env:NAME}} is an environment variable, {@code ${file:/path}} a file's content (a trailing
 * line break dropped, as a mounted Kubernetes secret has), {@code ${file:/path:key}} one key of a
 * properties file. A reference may be part of a value ({@code redis://app:${env:REDIS_PASSWORD}@redis:6379}).
 * Errors name the configuration key and the reference, never a resolved value.
 */
final class ValueReferences {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

  private final String source;
  private final UnaryOperator<String> environment;

  /**
   * @param source the configuration's name, for messages
   * @param environment looks an environment variable up ({@code System::getenv}); {@code null} when unset
   */
  ValueReferences(String source, UnaryOperator<String> environment) {
    this.source = Objects.requireNonNull(source, "source");
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /** The value with every reference replaced by what it names. */
  String resolve(String key, String value) {
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String target = matcher.group(1).equals("env") ? env(key, matcher.group(2)) : file(key, matcher.group(2));
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(target));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  private String env(String key, String name) {
    String value = environment.apply(name);
    if (value == null) {
      throw new ProducerConfigurationException(source + ": '" + key + "' refers to ${env:" + name + "}, but the"
          + " environment variable " + name + " is not set");
    }
    return value;
  }

  private String file(String key, String reference) {
    int separator = reference.indexOf(':');
    Path path = Path.of(separator < 0 ? reference : reference.substring(0, separator));
    try {
      if (separator < 0) {
        return Files.readString(path, StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", "");
      }
      String property = reference.substring(separator + 1);
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      String value = properties.getProperty(property);
      if (value == null) {
        throw new ProducerConfigurationException(source + ": '" + key + "' refers to ${file:" + reference + "}, but "
            + path + " has no key '" + property + "'");
      }
      return value;
    } catch (IOException e) {
      throw new ProducerConfigurationException(source + ": '" + key + "' refers to ${file:" + reference + "}, but "
          + path + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
