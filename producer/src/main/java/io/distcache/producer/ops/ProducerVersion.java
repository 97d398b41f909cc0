package io.distcache.producer.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The producer's version, as the build wrote it into {@code version.properties}. */
public final class ProducerVersion {

  private static final String VERSION = read();

  private ProducerVersion() {
  }

  /** The version, e.g. {@code 0.1.0}. */
  public static String get() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = ProducerVersion.class.getResourceAsStream("/io/distcache/producer/version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the producer jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the producer's version", e);
    }
  }
}
