package io.distcache.jcache.configuration;

import java.util.Locale;

/**
 * Whether a cache remembers the misses Redis confirmed (negative caching), so that a repeated lookup of an absent
 * key is answered in the JVM. A remembered miss is dropped by the key's next change-log record, like a value.
 */
public enum NegativeCaching {

  /** On for namespaces a producer owns (lookups of keys the source lacks are common there), off otherwise. */
  AUTO,

  /** Always on. */
  ON,

  /** Always off: every miss asks Redis. */
  OFF;

  /** Whether misses are remembered in a namespace that a producer does ({@code producerOwned}) or does not own. */
  public boolean remembersMisses(boolean producerOwned) {
    return this == ON || (this == AUTO && producerOwned);
  }

  /**
   * Parses a configuration value.
   *
   * @param text {@code auto}, {@code on} or {@code off} ({@code true} and {@code false} too), any letter case
   * @throws IllegalArgumentException if {@code text} is none of those (the message lists them)
   */
  public static NegativeCaching parse(String text) {
    String normalized = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    return switch (normalized) {
      case "auto" -> AUTO;
      case "on", "true" -> ON;
      case "off", "false" -> OFF;
      default -> throw new IllegalArgumentException("expected one of auto, on, off");
    };
  }
}
