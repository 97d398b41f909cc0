package io.distcache.protocol.settings;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

/**
 * One key of a component's configuration, a row of its settings table (the provider's {@code SettingsTable}, the
 * producer's {@code ProducerSettingsTable}, the coherence checker's {@code CheckerSettingsTable}): its default, how its
 * text is read, and what the configuration reference says about it. The tables of the reference are generated from
 * the rows, so that the documentation, the default and the parser of a key are written once.
 *
 * @param <T> the type of its value
 */
public final class Setting<T> {

  private final String key;
  private final T defaultValue;
  private final String shownDefault;
  private final Function<String, T> parser;
  private final String meaning;
  private final String example;

  private Setting(String key, T defaultValue, String shownDefault, Function<String, T> parser, String meaning,
      String example) {
    this.key = requireNonNull(key, "key");
    this.defaultValue = defaultValue;
    this.shownDefault = requireNonNull(shownDefault, "shownDefault");
    this.parser = requireNonNull(parser, "parser");
    this.meaning = requireNonNull(meaning, "meaning");
    this.example = requireNonNull(example, "example");
  }

  /**
   * A setting whose default is written like any value of it, and read by its parser: the reference shows the text,
   * and the value is what a user who wrote that text would get.
   *
   * @param example an example value or line for the reference, or {@code ""} for none
   */
  public static <T> Setting<T> withDefault(String key, String defaultText, Function<String, T> parser, String meaning,
      String example) {
    return new Setting<>(key, parser.apply(defaultText), "`" + defaultText + "`", parser, meaning, example);
  }

  /**
   * A setting whose default is no value a user could write (none, empty, derived, required).
   *
   * @param shownDefault what the reference says instead, in Markdown
   * @param example an example value or line for the reference, or {@code ""} for none
   */
  public static <T> Setting<T> withoutDefault(String key, T defaultValue, String shownDefault,
      Function<String, T> parser, String meaning, String example) {
    return new Setting<>(key, defaultValue, shownDefault, parser, meaning, example);
  }

  /** The key within its scope: {@code redis.uri}, {@code near.max-items}, {@code batch-size}. */
  public String key() {
    return key;
  }

  /** The value when no source sets the key; {@code null} for none. */
  public T defaultValue() {
    return defaultValue;
  }

  /**
   * The value of {@code text}.
   *
   * @throws IllegalArgumentException whose message says what was expected, when the text is no value of this setting
   */
  public T parse(String text) {
    return parser.apply(text);
  }

  /** The default as the reference shows it, in Markdown. */
  public String shownDefault() {
    return shownDefault;
  }

  /** What the setting does, in Markdown. */
  public String meaning() {
    return meaning;
  }

  /** An example value, or for a scoped setting an example line; {@code ""} for none. */
  public String example() {
    return example;
  }
}
