package io.distcache.producer;

import io.distcache.producer.config.ProducerConfigurationException;
import io.distcache.producer.projection.Projection;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.Projections;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jars of {@code plugin.path} in a class loader of their own, and the projection formats they add to
 * the built-ins. Closing it closes the class loader.
 */
public final class Plugins implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

  private final URLClassLoader loader;
  private final Projections projections;

  private Plugins(URLClassLoader loader) {
    this.loader = loader;
    try {
      this.projections = Projections.load(loader);
    } catch (IllegalStateException e) {
      throw new ProducerConfigurationException("plugin.path: " + e.getMessage(), e);
    }
  }

  /**
   * Loads the jars of the plugin path: each entry is a jar or a directory whose jars are all loaded.
   *
   * @throws ProducerConfigurationException when an entry cannot be read, or two plugins claim one format
   */
  public static Plugins load(List<Path> pluginPath) {
    List<URL> urls = new ArrayList<>();
    for (Path entry : pluginPath) {
      try (Stream<Path> jars = Files.isDirectory(entry) ? Files.list(entry).filter(p -> p.toString().endsWith(".jar"))
          : Stream.of(entry)) {
        for (Path jar : jars.toList()) {
          if (!Files.isReadable(jar)) {
            throw new ProducerConfigurationException("plugin.path entry " + jar + " is not a readable jar");
          }
          urls.add(jar.toUri().toURL());
        }
      } catch (MalformedURLException e) {
        throw new ProducerConfigurationException("plugin.path entry " + entry + " is not a valid path", e);
      } catch (IOException e) {
        throw new ProducerConfigurationException("plugin.path entry " + entry + " cannot be listed ("
            + e.getMessage() + ")", e);
      }
    }
    return new Plugins(new URLClassLoader("distcache-plugins", urls.toArray(URL[]::new),
        Plugins.class.getClassLoader()));
  }

  /** The class loader of the plugins, whose parent is the producer's. */
  public ClassLoader classLoader() {
    return loader;
  }

  /**
   * The projection of a projection's format.
   *
   * @throws ProducerConfigurationException when no built-in or plugin provides the format
   */
  public Projection projectionFor(ProjectionSettings projection) {
    Projection format = projections.find(projection.format());
    if (format == null) {
      throw new ProducerConfigurationException("projection[" + projection.name() + "].format = '" + projection.format()
          + "' is unknown; known formats: " + projections.formats() + " (plugins are loaded from plugin.path)");
    }
    return format;
  }

  @Override
  public void close() {
    try {
      loader.close();
    } catch (IOException e) {
      LOG.debug("closing the plugin class loader failed", e);
    }
  }
}
