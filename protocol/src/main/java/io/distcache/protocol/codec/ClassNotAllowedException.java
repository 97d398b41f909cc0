package io.distcache.protocol.codec;

import java.util.Objects;
import javax.cache.CacheException;

/**
 * The codec met a class that is not on its {@link ClassAllowList}, while writing a value (the value cannot
 * be cached) or while reading one (the stored bytes name a class this JVM refuses to instantiate).
 *
 * <p>On reads the class is refused by name, before it is loaded or any instance of it is created.
 */
public final class ClassNotAllowedException extends CacheException {

  /** The configuration key that extends the allow-list with package prefixes. */
  public static final String CONFIG_KEY = "codec.allowed-packages";

  private final String className;

  /**
   * Creates the exception for a refused class.
   *
   * @param className the binary name of the class ({@link Class#getName()} form, arrays included)
   */
  public ClassNotAllowedException(String className) {
    super(message(Objects.requireNonNull(className, "className")));
    this.className = className;
  }

  /** The binary name of the refused class, as written in the stream or returned by {@link Class#getName()}. */
  public String className() {
    return className;
  }

  private static String message(String className) {
    String element = ClassNames.elementName(className);
    int lastDot = element.lastIndexOf('.');
    String advice = lastDot > 0
        ? "If it is one of your own value or key types, add its package (\"" + element.substring(0, lastDot + 1)
            + "\") to '" + CONFIG_KEY + "'"
        : "Classes in the default package cannot be allowed; move it to a package and add that package to '"
            + CONFIG_KEY + "'";
    return "Class " + className + " is not on the codec allow-list, so distcache refuses to serialize or"
        + " instantiate it. " + advice + "; JDK and library classes outside the defaults are refused on purpose.";
  }
}
