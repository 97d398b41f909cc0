package io.distcache.jcache.configuration;

import java.util.Locale;

/**
 * What a read does with a stored value this JVM cannot decode: one written with another version of its class
 * (a rolling deploy), by another tool, or damaged.
 */
public enum OnUndecodable {

  /**
   * Treat it as a miss: the read returns nothing (a read-through cache loads the key, and the loaded value
   * replaces the undecodable one), the value is counted and logged once per class. The default.
   */
  MISS,

  /** Throw {@code CorruptValueException} to the caller, as a strict application may prefer. */
  FAIL;

  /**
   * Parses a configuration value.
   *
   * @param text {@code miss} or {@code fail}, in any letter case, blanks ignored
   * @throws IllegalArgumentException if {@code text} is neither (the message lists them)
   */
  public static OnUndecodable parse(String text) {
    return switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
      case "miss" -> MISS;
      case "fail" -> FAIL;
      default -> throw new IllegalArgumentException("expected one of miss, fail");
    };
  }
}
