package io.distcache.jcache.configuration;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configuration file in Java {@code .properties} format (read as UTF-8), with its entries in file order.
 *
 * @param description where the file is, for messages: {@code file /abs/path} or
 *     {@code classpath:name (url)}
 * @param entries the keys and values as written, in the order they first appear
 */
record ConfigFile(String description, Map<String, String> entries) {

  /** The classpath resource read when the CacheManager URI names no file. */
  static final String DEFAULT_RESOURCE = "distcache.properties";

  private static final Logger LOG = LoggerFactory.getLogger(ConfigFile.class);

  /**
   * The file a CacheManager URI designates: a {@code file:} URI's file, a {@code classpath:} URI's
   * resource, else the optional default classpath resource.
   *
   * @return the file, or empty if the URI designates only the optional default resource and it is absent
   * @throws ConfigurationException if an explicitly designated file is missing or unreadable
   */
  static Optional<ConfigFile> forUri(URI uri, ClassLoader classLoader) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      return Optional.of(fromFile(uri));
    }
    String resource = scheme.equals("classpath") ? stripLeadingSlashes(uri.getSchemeSpecificPart()) : DEFAULT_RESOURCE;
    Optional<ConfigFile> file = fromClasspath(resource, classLoader);
    if (file.isEmpty() && !resource.equals(DEFAULT_RESOURCE)) {
      throw new ConfigurationException("Configuration resource '" + resource + "' (from CacheManager URI " + uri
          + ") is not on the classpath of " + classLoader
          + ". Add it to the application's resources or pass the URI of an existing file.");
    }
    return file;
  }

  private static ConfigFile fromFile(URI uri) {
    Path path;
    try {
      // "file:conf/distcache.properties" (opaque) is relative to the working directory.
      path = (uri.isOpaque() ? Path.of(uri.getSchemeSpecificPart()) : Path.of(uri)).toAbsolutePath();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("CacheManager URI " + uri + " does not name a local file: " + e.getMessage()
          + ". Use file:/absolute/path/distcache.properties.", e);
    }
    String description = "file " + path;
    try (InputStream in = Files.newInputStream(path)) {
      return new ConfigFile(description, read(in, description));
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("Configuration file " + path + " (from CacheManager URI " + uri
          + ") does not exist. Create it, or pass the URI of an existing file.", e);
    } catch (IOException e) {
      throw new ConfigurationException("Cannot read configuration " + description + ": " + e
          + ". Check that it is a readable file.", e);
    }
  }

  private static Optional<ConfigFile> fromClasspath(String resource, ClassLoader classLoader) {
    List<URL> urls;
    try {
      urls = Collections.list(classLoader.getResources(resource));
    } catch (IOException e) {
      throw new ConfigurationException("Cannot look up classpath resource " + resource + ": " + e
          + ". Check the application's classpath.", e);
    }
    if (urls.isEmpty()) {
      return Optional.empty();
    }
    if (urls.size() > 1) {
      // Class loaders return the first one; a second copy in another jar is easy to miss.
      LOG.warn("Several classpath resources are named {}: {}; using the first", resource, urls);
    }
    String description = "classpath:" + resource + " (" + urls.get(0) + ")";
    try (InputStream in = urls.get(0).openStream()) {
      return Optional.of(new ConfigFile(description, read(in, description)));
    } catch (IOException e) {
      throw new ConfigurationException("Cannot read configuration " + description + ": " + e
          + ". Check the application's packaging.", e);
    }
  }

  private static Map<String, String> read(InputStream in, String description) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    // Properties is a hash table and forgets the file order; Properties.load stores each entry
    // through put(), so intercepting put() keeps the order in which caches are declared.
    Properties orderedSink = new Properties() {
      @Override
      public synchronized Object put(Object key, Object value) {
        if (entries.put((String) key, (String) value) != null) {
          LOG.warn("Key {} appears more than once in {}; the last value wins", key, description);
        }
        return null;
      }
    };
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      orderedSink.load(reader);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("Configuration " + description + " is not a valid .properties file: "
          + e.getMessage() + ". Fix the line (usually a malformed \\uXXXX escape).", e);
    }
    return Collections.unmodifiableMap(entries);
  }

  private static String stripLeadingSlashes(String resource) {
    int start = 0;
    while (start < resource.length() && resource.charAt(start) == '/') {
      start++;
    }
    return resource.substring(start);
  }
}
