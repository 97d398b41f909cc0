package io.distcache.protocol.codec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link KeyEncoding}s installed next to a class, discovered once per class with {@link ServiceLoader}
 * through that class's loader: the provider asks for those next to itself, since an encoding's classes must see
 * the framework classes it encodes, so they live where the provider lives (which, in an application server, may
 * be a class loader below this module's). An encoding whose framework is absent fails to load and is skipped.
 */
public final class KeyEncodings {

  private static final Logger LOG = LoggerFactory.getLogger(KeyEncodings.class);
  private static final String BUILT_IN_TAGS = "siluo";
  /** Per class rather than per loader, so that a cached entry never keeps an undeployed application's loader. */
  private static final ClassValue<KeyEncodings> INSTALLED = new ClassValue<>() {
    @Override
    protected KeyEncodings computeValue(Class<?> owner) {
      return new KeyEncodings(discover(owner.getClassLoader()));
    }
  };

  private final List<KeyEncoding> encodings;

  private KeyEncodings(List<KeyEncoding> encodings) {
    this.encodings = List.copyOf(encodings);
    Set<Character> tags = new LinkedHashSet<>();
    for (KeyEncoding encoding : this.encodings) {
      char tag = encoding.tag();
      if (tag < 'a' || tag > 'z' || BUILT_IN_TAGS.indexOf(tag) >= 0 || !tags.add(tag)) {
        throw new IllegalStateException("key encoding " + encoding.getClass().getName() + " uses tag '" + tag
            + "', which is not a free lower-case letter (taken: " + BUILT_IN_TAGS + tags + "); give it another tag");
      }
    }
  }

  /** The encodings this module's class loader finds (cached after the first call). */
  public static KeyEncodings installed() {
    return installedNextTo(KeyEncoding.class);
  }

  /** The encodings the class loader of {@code owner} finds (cached per class, after the first call). */
  public static KeyEncodings installedNextTo(Class<?> owner) {
    return INSTALLED.get(owner);
  }

  /** Exactly the given encodings (tests and embedders). */
  public static KeyEncodings of(List<KeyEncoding> encodings) {
    return new KeyEncodings(encodings);
  }

  /** The encodings, in discovery order. */
  public List<KeyEncoding> encodings() {
    return encodings;
  }

  /** The encoding that writes this key, or {@code null} for none. */
  KeyEncoding forKey(Object key) {
    for (KeyEncoding encoding : encodings) {
      if (encoding.handles(key)) {
        return encoding;
      }
    }
    return null;
  }

  /** The encoding with this tag, or {@code null} for none. */
  KeyEncoding forTag(char tag) {
    for (KeyEncoding encoding : encodings) {
      if (encoding.tag() == tag) {
        return encoding;
      }
    }
    return null;
  }

  /** Every package prefix the installed encodings ask the codec to allow. */
  public List<String> allowedPackages() {
    Set<String> packages = new LinkedHashSet<>();
    encodings.forEach(encoding -> packages.addAll(encoding.allowedPackages()));
    return List.copyOf(packages);
  }

  private static List<KeyEncoding> discover(ClassLoader loader) {
    List<KeyEncoding> found = new ArrayList<>();
    Iterator<KeyEncoding> services = ServiceLoader.load(KeyEncoding.class, loader).iterator();
    while (true) {
      try {
        if (!services.hasNext()) {
          break;
        }
        KeyEncoding encoding = services.next();
        found.add(encoding);
        LOG.debug("key encoding {} installed with tag '{}'", encoding.getClass().getName(), encoding.tag());
      } catch (ServiceConfigurationError | LinkageError e) {
        // the encoding's framework (e.g. Hibernate) is not on the class path: nothing of it to encode
        LOG.debug("key encoding skipped: {}", e.toString());
      }
    }
    return found;
  }
}
