package io.distcache.jcache.configuration;

import java.util.Locale;

/** What a cache loads into its near cache when it starts, before any read asks for it. */
public enum Preload {

  /** Nothing: the near cache fills as keys are read. The default. */
  NONE,

  /**
   * Every entry of the namespace, up to the near cache's bounds: a full local copy that the change log then keeps
   * current, so reads never wait for Redis.
   */
  ALL;

  /**
   * Parses a configuration value.
   *
   * @param text {@code none} or {@code all}, in any letter case
   * @throws IllegalArgumentException if {@code text} is neither (the message lists them)
   */
  public static Preload parse(String text) {
    String normalized = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    return switch (normalized) {
      case "none" -> NONE;
      case "all" -> ALL;
      default -> throw new IllegalArgumentException("expected one of none, all");
    };
  }
}
