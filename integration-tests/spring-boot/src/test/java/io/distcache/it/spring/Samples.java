package io.distcache.it.spring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Reads the files users copy from META-INF-samples/, so the tests run on exactly what the docs show. */
final class Samples {

  static final Path DIRECTORY = Path.of("../../META-INF-samples");

  private Samples() {
  }

  static Properties properties(String file) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(DIRECTORY.resolve(file))) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}
