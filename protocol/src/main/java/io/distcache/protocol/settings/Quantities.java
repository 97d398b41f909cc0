package io.distcache.protocol.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grammar of numbers, durations and sizes in every distcache configuration, the provider's, the producer's and
 * the coherence checker's: {@code 100_000}; {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d} or
 * ISO-8601; {@code 4096}, {@code 64KB}, {@code 64MiB}. Each parser throws {@link IllegalArgumentException} whose message says what was expected
 * ("expected ..."); callers add the key and the source.
 */
public final class Quantities {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
  private static final Pattern ZERO_DURATION = Pattern.compile("0+\\s*(ms|s|m|h|d)?|PT0S", Pattern.CASE_INSENSITIVE);
  private static final Pattern BYTE_SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|kib|mib|gib)?", Pattern.CASE_INSENSITIVE);
  private static final String DURATION_EXPECTED =
      "expected a positive duration: a whole number with a unit ms, s, m, h or d (e.g. 500ms, 10s, 5m) or ISO-8601 (e.g. PT10S)";

  private Quantities() {
  }

  /**
   * Checks a duration a setting was given in code (a record's or builder's argument).
   *
   * @param name the setting's name, for the message
   * @throws IllegalArgumentException when it is zero or negative
   */
  public static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /**
   * A whole number of at least {@code min}: decimal digits, which {@code _} may group ({@code 100_000}).
   *
   * @throws IllegalArgumentException saying the bound ("expected a whole number >= 0" or "> 0" for 1)
   */
  public static long wholeNumber(String text, long min) {
    try {
      long value = Long.parseLong(text.strip().replace("_", ""));
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // the message below says what was expected
    }
    throw new IllegalArgumentException("expected a whole number " + (min == 1 ? "> 0" : ">= " + min)
        + ", e.g. 100000 or 100_000");
  }

  /** A whole number of at least {@code min}, as {@link #wholeNumber}, that fits an {@code int}. */
  public static int intWholeNumber(String text, int min) {
    long value = wholeNumber(text, min);
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("expected a whole number of at most " + Integer.MAX_VALUE);
    }
    return (int) value;
  }

  /** A positive duration such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d} or {@code PT10S}. */
  public static Duration positiveDuration(String text) {
    Duration duration;
    try {
      duration = duration(text.strip());
    } catch (ArithmeticException | DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(DURATION_EXPECTED, e);
    }
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(DURATION_EXPECTED);
    }
    return duration;
  }

  /** A duration of zero or more: {@code 0} (with or without a unit), or one {@link #positiveDuration} accepts. */
  public static Duration nonNegativeDuration(String text) {
    return ZERO_DURATION.matcher(text.strip()).matches() ? Duration.ZERO : positiveDuration(text);
  }

  private static Duration duration(String text) {
    if (text.startsWith("P") || text.startsWith("p")) {
      return Duration.parse(text);
    }
    Matcher matcher = DURATION.matcher(text);
    if (!matcher.matches()) {
      return null;
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  /**
   * A size in bytes, {@code >= 0}: plain bytes or a whole number with a unit {@code B}, {@code KB},
   * {@code MB}, {@code GB} (powers of 1000) or {@code KiB}, {@code MiB}, {@code GiB} (powers of 1024),
   * in any letter case.
   */
  public static long byteSize(String text) {
    String expected = "expected a size >= 0 in bytes, optionally with a unit KB, MB, GB (x1000) or KiB, MiB, GiB (x1024),"
        + " e.g. 64MiB";
    Matcher matcher = BYTE_SIZE.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(expected);
    }
    String unit = matcher.group(2) == null ? "b" : matcher.group(2).toLowerCase(Locale.ROOT);
    long multiplier = switch (unit) {
      case "kb" -> 1_000L;
      case "mb" -> 1_000_000L;
      case "gb" -> 1_000_000_000L;
      case "kib" -> 1L << 10;
      case "mib" -> 1L << 20;
      case "gib" -> 1L << 30;
      default -> 1L;
    };
    try {
      return Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(expected + " (this one does not fit in 64 bits)", e);
    }
  }

  /** A byte size, as {@link #byteSize(String)}, of at most {@link Integer#MAX_VALUE}. */
  public static int intByteSize(String text) {
    long size = byteSize(text);
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("expected a size of at most " + Integer.MAX_VALUE + " bytes");
    }
    return (int) size;
  }

}
