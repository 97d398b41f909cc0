package io.distcache.jcache.configuration;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * Class loaders that control what {@code classpath:distcache.properties} resolves to in tests, so
 * that a {@code distcache.properties} another package's test resources may add cannot change the outcome.
 */
final class TestClassLoaders {

  private TestClassLoaders() {
  }

  /** The test class path, without any {@code distcache.properties}. */
  static ClassLoader withoutDefaultFile() {
    return withDefaultFile(null);
  }

  /** The test class path, with the test resource {@code resource} served as {@code distcache.properties}. */
  static ClassLoader servingDefaultFile(String resource) {
    return withDefaultFile(Objects.requireNonNull(TestClassLoaders.class.getClassLoader().getResource(resource), resource));
  }

  private static ClassLoader withDefaultFile(URL defaultFile) {
    return new ClassLoader(TestClassLoaders.class.getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        if (name.equals(ConfigFile.DEFAULT_RESOURCE)) {
          return Collections.enumeration(defaultFile == null ? List.of() : List.of(defaultFile));
        }
        return super.getResources(name);
      }
    };
  }
}
