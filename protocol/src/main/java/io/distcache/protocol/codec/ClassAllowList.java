package io.distcache.protocol.codec;

import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The classes the codec may write and instantiate: exact class names plus package prefixes. Immutable;
 * the {@code with*} methods return extended copies.
 *
 * <p>A class is allowed when its binary name is listed or starts with a listed package prefix. Derived
 * rules: an array is allowed when its element type is (primitive arrays always are); every enum is allowed
 * (decoding one looks a constant up by name and initializes its enum, as any use of it would), and an enum
 * constant with a body ({@code Op$1}) with it; records need nothing beyond their own name. Hidden classes
 * (lambdas) and dynamic proxies are never allowed: another JVM could not name them.
 *
 * <p>A name that is not listed may still be an enum: {@link #enumNamed(String, ClassLoader)} loads the
 * class without initializing it to find out.
 *
 * <p>{@link #defaults()} holds JDK value types and collections that the codec round-trips exactly. Abstract
 * types such as {@code java.lang.Number} or {@code java.io.Serializable} are listed only because they
 * appear as array element types or superclass descriptors of Java serialization; they cannot be
 * instantiated themselves.
 */
public final class ClassAllowList {

  private static final Set<String> PRIMITIVES =
      Set.of("boolean", "byte", "char", "short", "int", "long", "float", "double");

  private static final ClassAllowList DEFAULTS = new ClassAllowList(Set.of(
      // java.lang: boxed values, String, and supertypes seen as array elements or serialization descriptors
      "java.lang.Object", "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short",
      "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Character",
      "java.lang.Number", "java.lang.Enum", "java.lang.Record", "java.lang.Comparable", "java.lang.CharSequence",
      "java.lang.String$CaseInsensitiveComparator", "java.io.Serializable",
      // java.math
      "java.math.BigDecimal", "java.math.BigInteger", "java.math.RoundingMode",
      // java.time value types; java.time.Ser is their Java-serialization form
      "java.time.Duration", "java.time.Instant", "java.time.LocalDate", "java.time.LocalTime",
      "java.time.LocalDateTime", "java.time.OffsetTime", "java.time.OffsetDateTime", "java.time.ZonedDateTime",
      "java.time.ZoneId", "java.time.ZoneOffset", "java.time.ZoneRegion", "java.time.Year",
      "java.time.YearMonth", "java.time.MonthDay", "java.time.Period", "java.time.DayOfWeek", "java.time.Month",
      "java.time.Ser", "java.time.temporal.ChronoUnit",
      // java.util values
      "java.util.UUID", "java.util.Date", "java.util.Locale", "java.util.Currency", "java.util.BitSet",
      "java.util.Optional", "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble",
      // java.util collections
      "java.util.ArrayList", "java.util.LinkedList", "java.util.HashMap", "java.util.LinkedHashMap",
      "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
      "java.util.EnumSet", "java.util.RegularEnumSet", "java.util.JumboEnumSet",
      "java.util.EnumSet$SerializationProxy", "java.util.Arrays$ArrayList",
      "java.util.Collections$EmptyList", "java.util.Collections$EmptySet", "java.util.Collections$EmptyMap",
      "java.util.Collections$SingletonList", "java.util.Collections$SingletonSet",
      "java.util.Collections$SingletonMap", "java.util.Collections$UnmodifiableCollection",
      "java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
      "java.util.Collections$UnmodifiableSet", "java.util.Collections$UnmodifiableSortedSet",
      "java.util.Collections$UnmodifiableNavigableSet", "java.util.Collections$UnmodifiableMap",
      "java.util.Collections$UnmodifiableSortedMap", "java.util.Collections$UnmodifiableNavigableMap",
      "java.util.Collections$ReverseComparator",
      // java.net, java.sql
      // java.net.URL is left out: its equals and hashCode resolve the host, so a set of URLs does DNS lookups
      // while it decodes
      "java.net.URI", "java.sql.Date", "java.sql.Time", "java.sql.Timestamp",
      // what Spring's cache abstraction itself puts in caches: a cached null, and the key of a method with
      // several parameters (its parameters are checked on their own)
      "org.springframework.cache.support.NullValue", "org.springframework.cache.interceptor.SimpleKey"),
      // List.of, Set.of, Map.of and their serialization proxy (CollSer)
      List.of("java.util.ImmutableCollections$"));

  private final Set<String> classNames;
  private final List<String> packagePrefixes;
  private final boolean domainClasses;

  private ClassAllowList(Set<String> classNames, List<String> packagePrefixes) {
    this(classNames, packagePrefixes, false);
  }

  private ClassAllowList(Set<String> classNames, List<String> packagePrefixes, boolean domainClasses) {
    this.classNames = Set.copyOf(classNames);
    this.packagePrefixes = List.copyOf(packagePrefixes);
    this.domainClasses = domainClasses;
  }

  /**
   * Returns a copy that also allows the {@link DomainClasses} frameworks registered, now and later (a
   * Hibernate SessionFactory registers its mapped classes when it starts).
   */
  public ClassAllowList withDomainClasses() {
    return new ClassAllowList(classNames, packagePrefixes, true);
  }

  /** The JDK value types and collections listed in this class's source: see the class comment. */
  public static ClassAllowList defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a copy that also allows every class whose name starts with one of the prefixes.
   *
   * @param packagePrefixes package names such as {@code "com.acme."}; a missing trailing dot is added so
   *     {@code "com.acme"} cannot match {@code com.acmeevil.X}
   * @throws IllegalArgumentException for a blank prefix
   */
  public ClassAllowList withPackages(Collection<String> packagePrefixes) {
    Set<String> prefixes = new LinkedHashSet<>(this.packagePrefixes);
    for (String prefix : packagePrefixes) {
      String trimmed = Objects.requireNonNull(prefix, "package prefix").trim();
      if (trimmed.isEmpty() || trimmed.equals(".")) {
        throw new IllegalArgumentException("a blank package prefix would allow every class; list packages such"
            + " as \"com.acme.\" in '" + ClassNotAllowedException.CONFIG_KEY + "'");
      }
      prefixes.add(trimmed.endsWith(".") || trimmed.endsWith("$") ? trimmed : trimmed + '.');
    }
    return new ClassAllowList(classNames, List.copyOf(prefixes), domainClasses);
  }

  /**
   * Returns a copy that also allows the named classes.
   *
   * @param classNames binary class names ({@code com.acme.Outer$Inner})
   */
  public ClassAllowList withClasses(Collection<String> classNames) {
    Set<String> names = new LinkedHashSet<>(this.classNames);
    for (String name : classNames) {
      names.add(Objects.requireNonNull(name, "class name").trim());
    }
    return new ClassAllowList(names, packagePrefixes, domainClasses);
  }

  /**
   * Whether a class is allowed, judged by its name only, so a class named in untrusted bytes can be
   * refused before it is loaded.
   *
   * @param className a binary name as returned by {@link Class#getName()}, including array descriptors
   *     such as {@code [Lcom.acme.Foo;} and primitive names
   */
  public boolean allows(String className) {
    Objects.requireNonNull(className, "className");
    if (className.startsWith("[")) {
      String element = ClassNames.elementName(className);
      return PRIMITIVES.contains(element) || (!element.startsWith("[") && allows(element));
    }
    if (PRIMITIVES.contains(className) || classNames.contains(className)
        || (domainClasses && DomainClasses.contains(className))) {
      return true;
    }
    for (String prefix : packagePrefixes) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a loaded class is allowed: arrays by element type, enum constant bodies by their enum, hidden
   * classes and proxies never, everything else by {@link #allows(String) name}.
   */
  public boolean allows(Class<?> type) {
    Class<?> element = type;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    if (element.isPrimitive()) {
      return true;
    }
    if (element.isHidden() || Proxy.isProxyClass(element)) {
      return false;
    }
    return Enum.class.isAssignableFrom(element) || allows(enumOf(element).getName());
  }

  /**
   * The enum (or array of an enum) a name not {@link #allows(String) listed} stands for: the class is loaded
   * without initialization and accepted only if it is an enum. Decoding a constant then initializes that enum
   * (its static initializer runs), as any use of the application's enums does.
   *
   * @throws ClassNotAllowedException if it is no enum, or cannot be found
   */
  public static Class<?> enumNamed(String className, ClassLoader classLoader) {
    try {
      Class<?> type = Class.forName(className, false, classLoader);
      Class<?> element = type;
      while (element.isArray()) {
        element = element.getComponentType();
      }
      if (Enum.class.isAssignableFrom(element)) {
        return type;
      }
    } catch (ClassNotFoundException | LinkageError e) {
      // refused below, as any class that is not allowed
    }
    throw new ClassNotAllowedException(className);
  }

  /** The allowed exact class names, sorted. */
  public Set<String> classNames() {
    return new TreeSet<>(classNames);
  }

  /** The allowed package prefixes, in the order they were added. */
  public List<String> packagePrefixes() {
    return packagePrefixes;
  }

  /** For an enum constant with a body ({@code Op$1}) its enum ({@code Op}); otherwise the class itself. */
  static Class<?> enumOf(Class<?> type) {
    Class<?> parent = type.getSuperclass();
    return !type.isEnum() && parent != null && parent.isEnum() ? parent : type;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClassAllowList that && domainClasses == that.domainClasses
        && classNames.equals(that.classNames) && packagePrefixes.equals(that.packagePrefixes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classNames, packagePrefixes, domainClasses);
  }

  @Override
  public String toString() {
    return "ClassAllowList[" + classNames.size() + " classes, packages=" + packagePrefixes
        + (domainClasses ? ", registered domain classes" : "") + "]";
  }
}
