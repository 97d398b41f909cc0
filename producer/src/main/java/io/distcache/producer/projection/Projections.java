package io.distcache.producer.projection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/** The projections available to a producer: the built-ins plus every {@link Projection} a class loader's services list. */
public final class Projections {

  private final Map<String, Projection> byFormat;

  private Projections(Map<String, Projection> byFormat) {
    this.byFormat = Map.copyOf(byFormat);
  }

  /**
   * Loads the projections visible to a class loader with {@link ServiceLoader}; a plugin may not
   * replace a built-in format.
   *
   * @throws IllegalStateException when two plugins claim the same format
   */
  public static Projections load(ClassLoader loader) {
    Map<String, Projection> formats = new LinkedHashMap<>();
    for (Projection builtIn : new Projection[] {new JsonRowProjection(), new DebeziumProjection(), new FlattenedProjection()}) {
      formats.put(builtIn.format(), builtIn);
    }
    for (Projection plugin : ServiceLoader.load(Projection.class, loader)) {
      Projection previous = formats.putIfAbsent(plugin.format(), plugin);
      if (previous != null && previous.getClass() != plugin.getClass()) {
        throw new IllegalStateException("projection format '" + plugin.format() + "' is claimed by both "
            + previous.getClass().getName() + " and " + plugin.getClass().getName() + "; remove one plugin jar");
      }
    }
    return new Projections(formats);
  }

  /** The projection of a format, or {@code null}. */
  public Projection find(String format) {
    return byFormat.get(format);
  }

  /** The known formats. */
  public java.util.Set<String> formats() {
    return new java.util.TreeSet<>(byFormat.keySet());
  }
}
