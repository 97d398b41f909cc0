package io.distcache.protocol.codec;

import java.util.Locale;

/**
 * How the Kryo codec writes the fields of application classes. Both formats are always readable; the format
 * only decides what this JVM writes.
 */
public enum CodecFormat {

  /**
   * Fields by position, names not written ({@link Envelope#CODEC_KRYO}): the smallest values, but a class whose
   * fields changed cannot read values of its other version. Every release reads it.
   */
  POSITIONAL(Envelope.CODEC_KRYO),

  /**
   * Fields and record components by name, each value with its class ({@link Envelope#CODEC_KRYO_COMPATIBLE}):
   * a version of a class with fields added or removed reads the other version's values (missing fields keep
   * their defaults, unknown ones are skipped). The default. Releases before it cannot read it.
   */
  COMPATIBLE(Envelope.CODEC_KRYO_COMPATIBLE);

  private final byte codecId;

  CodecFormat(byte codecId) {
    this.codecId = codecId;
  }

  /** The codec id written in the envelope's flags. */
  public byte codecId() {
    return codecId;
  }

  /**
   * Parses a configuration value.
   *
   * @param text {@code compatible} or {@code positional}, in any letter case, blanks ignored
   * @throws IllegalArgumentException if {@code text} is neither (the message lists them)
   */
  public static CodecFormat parse(String text) {
    return switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
      case "compatible" -> COMPATIBLE;
      case "positional" -> POSITIONAL;
      default -> throw new IllegalArgumentException("expected one of compatible, positional");
    };
  }
}
