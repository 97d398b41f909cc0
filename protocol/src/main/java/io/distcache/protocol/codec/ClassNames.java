package io.distcache.protocol.codec;

/** Class names as serialized streams and {@link Class#getName()} write them, array descriptors included. */
final class ClassNames {

  private static final String PRIMITIVE_DESCRIPTORS = "ZBCSIJFD";

  private ClassNames() {
  }

  /**
   * The element type's name of an array descriptor ({@code [[Lcom.acme.Foo;} → {@code com.acme.Foo},
   * {@code [I} → {@code int}); a malformed descriptor is returned unchanged, any other name too.
   */
  static String elementName(String className) {
    int dimensions = 0;
    while (dimensions < className.length() && className.charAt(dimensions) == '[') {
      dimensions++;
    }
    if (dimensions == 0) {
      return className;
    }
    String element = className.substring(dimensions);
    if (element.length() == 1 && PRIMITIVE_DESCRIPTORS.contains(element)) {
      return switch (element.charAt(0)) {
        case 'Z' -> "boolean";
        case 'B' -> "byte";
        case 'C' -> "char";
        case 'S' -> "short";
        case 'I' -> "int";
        case 'J' -> "long";
        case 'F' -> "float";
        default -> "double";
      };
    }
    if (element.length() > 2 && element.charAt(0) == 'L' && element.endsWith(";")) {
      return element.substring(1, element.length() - 1);
    }
    return className;
  }
}
