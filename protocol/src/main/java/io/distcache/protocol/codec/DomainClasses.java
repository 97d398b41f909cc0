package io.distcache.protocol.codec;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application classes this JVM's frameworks declared as cached data, learned at run time: the classes of
 * a Hibernate domain model (entities, embeddables, identifier and attribute types), registered when a
 * SessionFactory starts. Codecs built with {@link ClassAllowList#withDomainClasses()} allow them without a
 * {@code codec.allowed-packages} setting. JDK classes are never taken from here: the default list decides them.
 */
public final class DomainClasses {

  private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();

  private DomainClasses() {
  }

  /** Registers class names (binary names, as {@link Class#getName()}); JDK names are ignored. */
  public static void register(Collection<String> classNames) {
    for (String name : classNames) {
      if (!isJdk(name)) {
        NAMES.add(name);
      }
    }
  }

  /** Whether the class was registered. */
  static boolean contains(String className) {
    return NAMES.contains(className);
  }

  private static boolean isJdk(String name) {
    return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
        || name.startsWith("com.sun.");
  }
}
