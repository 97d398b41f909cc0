package io.distcache.jcache.configuration;

import io.distcache.protocol.settings.Quantities;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Parsers of configuration values (durations and sizes are in {@link Quantities}, which the producer
 * shares). Each takes the raw text and throws
 * {@link IllegalArgumentException} whose message says what was expected ("expected ..."), which
 * {@link SettingValues} wraps with the key and the source.
 */
final class ValueParsers {

  private static final Pattern JAVA_NAME =
      Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");
  // The characters io.distcache.protocol.namespace.Namespace accepts in a namespace name.
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._%-]+");

  private ValueParsers() {
  }

  /** A whole number {@code >= 0}, in the shared grammar ({@link Quantities#wholeNumber}). */
  static long nonNegativeLong(String text) {
    return Quantities.wholeNumber(text, 0);
  }

  /** A whole number {@code > 0}, in the shared grammar ({@link Quantities#wholeNumber}). */
  static long positiveLong(String text) {
    return Quantities.wholeNumber(text, 1);
  }

  /** A whole number {@code > 0}; one beyond {@link Integer#MAX_VALUE} counts as that (a limit nobody reaches). */
  static int positiveInt(String text) {
    return (int) Math.min(Integer.MAX_VALUE, positiveLong(text));
  }

  /** A byte size, as {@link Quantities#intByteSize}, of at least 1 byte. */
  static int positiveIntByteSize(String text) {
    int size = Quantities.intByteSize(text);
    if (size < 1) {
      throw new IllegalArgumentException("expected a size of at least 1 byte");
    }
    return size;
  }

  /**
   * {@code true} or {@code false} in any letter case. Stricter than {@link Boolean#parseBoolean},
   * which would silently read {@code yes} or {@code ture} as {@code false}.
   */
  static boolean bool(String text) {
    String value = text.strip();
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("expected true or false");
  }

  /** A codec name; only {@code kryo} exists. */
  static String codec(String text) {
    String codec = text.strip().toLowerCase(Locale.ROOT);
    if (!codec.equals(CacheSettings.KRYO)) {
      throw new IllegalArgumentException("expected kryo, the only codec available");
    }
    return codec;
  }

  /** A namespace name: letters, digits, {@code . _ - %}. */
  static String namespace(String text) {
    String namespace = text.strip();
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("expected a namespace name made of letters, digits and . _ - %");
    }
    return namespace;
  }

  /** A directory path, absolute or relative to the working directory. */
  static Path directory(String text) {
    String path = text.strip();
    if (path.isEmpty()) {
      throw new IllegalArgumentException("expected a directory path");
    }
    try {
      return Path.of(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("expected a directory path (" + e.getReason() + ")", e);
    }
  }

  /** A fully qualified class name such as {@code com.acme.User} or {@code com.acme.Outer$Inner}. */
  static String className(String text) {
    String name = text.strip();
    if (!JAVA_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("expected a fully qualified class name such as com.acme.User");
    }
    return name;
  }

  /** A package name such as {@code com.acme.model}. */
  static String packageName(String text) {
    String name = text.strip();
    if (!JAVA_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("expected package names such as com.acme.model");
    }
    return name;
  }

  /**
   * A Redis key prefix: no blanks, and no braces because they would form a Redis Cluster hash tag
   * and put every key of the deployment in one slot.
   */
  static String keyPrefix(String text) {
    String prefix = text.strip();
    if (prefix.isEmpty() || prefix.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
        || c == '{' || c == '}')) {
      throw new IllegalArgumentException("expected a non-empty prefix without blanks or braces, e.g. dc");
    }
    return prefix;
  }

  /** A non-blank text, stripped. */
  static String nonBlank(String text) {
    String value = text.strip();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("expected a non-empty value");
    }
    return value;
  }

  /** A comma-separated list; blanks around items and empty items (a trailing comma) are ignored. */
  static List<String> list(String text, UnaryOperator<String> itemParser) {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(itemParser.apply(item.strip()));
      }
    }
    return List.copyOf(items);
  }

  /** A Redis URI Lettuce accepts (see {@link RedisUris#validate(String)}), stripped. */
  static String redisUri(String text) {
    String uri = text.strip();
    RedisUris.validate(uri);
    return uri;
  }

  /**
   * The seed nodes of a Redis Cluster, stripped: {@code redis://[user:password@]host1:port1,host2:port2}
   * ({@code rediss://} for TLS); each node must be a valid {@code redis://}/{@code rediss://} node.
   */
  static String redisClusterUri(String text) {
    String uri = text.strip();
    for (String seed : RedisUris.clusterSeeds(uri)) {
      if (!seed.startsWith("redis://") && !seed.startsWith("rediss://")) {
        throw new IllegalArgumentException("expected the seed nodes of a Redis Cluster:"
            + " redis://[user:password@]host1:port1,host2:port2 (rediss:// for TLS)");
      }
      RedisUris.validate(seed);
    }
    return uri;
  }

  /** A {@code redis://} or {@code rediss://} URI of one node, stripped. */
  static String redisNodeUri(String text) {
    String uri = text.strip();
    RedisUris.validateNode(uri);
    return uri;
  }
}
