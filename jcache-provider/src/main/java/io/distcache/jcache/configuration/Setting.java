package io.distcache.jcache.configuration;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

/**
 * One key of the provider's configuration, a row of {@link SettingsTable}: where it may be written, its default,
 * how its text is read, and what the configuration reference (docs/configuration.md) says about it.
 *
 * @param <T> the type of its value
 */
final class Setting<T> {

  /** Where a setting may be written. */
  enum Scope {
    /** Once per CacheManager: {@code <key>}. */
    MANAGER,
    /** For every cache, {@code defaults.<key>}, or for one, {@code cache[<name>].<key>}. */
    CACHE,
    /** For one cache only, {@code cache[<name>].<key>}: the same value for every cache would be an error. */
    ONE_CACHE
  }

  private final String key;
  private final Scope scope;
  private final T defaultValue;
  private final String shownDefault;
  private final Function<String, T> parser;
  private final String meaning;
  private final String example;

  private Setting(String key, Scope scope, T defaultValue, String shownDefault, Function<String, T> parser,
      String meaning, String example) {
    this.key = requireNonNull(key, "key");
    this.scope = requireNonNull(scope, "scope");
    this.defaultValue = defaultValue;
    this.shownDefault = requireNonNull(shownDefault, "shownDefault");
    this.parser = requireNonNull(parser, "parser");
    this.meaning = requireNonNull(meaning, "meaning");
    this.example = requireNonNull(example, "example");
  }

  /**
   * A setting whose default is written like any value of it, and read by its parser: the reference shows the text,
   * and the value is what a user who wrote that text would get.
   */
  static <T> Setting<T> withDefault(String key, Scope scope, String defaultText, Function<String, T> parser,
      String meaning, String example) {
    return new Setting<>(key, scope, parser.apply(defaultText), "`" + defaultText + "`", parser, meaning, example);
  }

  /**
   * A setting whose default is no value a user could write (none, empty, derived).
   *
   * @param shownDefault what the reference says instead, in Markdown
   */
  static <T> Setting<T> withoutDefault(String key, Scope scope, T defaultValue, String shownDefault,
      Function<String, T> parser, String meaning, String example) {
    return new Setting<>(key, scope, defaultValue, shownDefault, parser, meaning, example);
  }

  /** The key, without scope: {@code redis.uri}, {@code near.max-items}. */
  String key() {
    return key;
  }

  Scope scope() {
    return scope;
  }

  /** The value when no source sets the key; {@code null} for none. */
  T defaultValue() {
    return defaultValue;
  }

  /**
   * The value of {@code text}.
   *
   * @throws IllegalArgumentException with an "expected ..." message when the text is no value of this setting
   */
  T parse(String text) {
    return parser.apply(text);
  }

  /** The default as the reference shows it, in Markdown. */
  String shownDefault() {
    return shownDefault;
  }

  /** What the setting does, in Markdown. */
  String meaning() {
    return meaning;
  }

  /** An example value, or for cache settings an example line. */
  String example() {
    return example;
  }
}
