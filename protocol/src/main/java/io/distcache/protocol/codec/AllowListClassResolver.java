package io.distcache.protocol.codec;

import static java.util.Objects.requireNonNull;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Kryo's name-based class resolver, restricted to a {@link ClassAllowList}.
 *
 * <p>Writes and reads both pass through {@link #getRegistration(Class)} for every class Kryo has not met
 * yet (implicit registration), so a forbidden class fails at {@code put} time and at read time alike.
 * On reads, names from the stream are checked in {@link #getTypeByName(String)}, which Kryo asks before
 * {@code Class.forName}: a forbidden class is refused before it is loaded or instantiated.
 */
final class AllowListClassResolver extends DefaultClassResolver {

  private final ClassAllowList allowList;

  AllowListClassResolver(ClassAllowList allowList) {
    this.allowList = requireNonNull(allowList, "allowList");
  }

  /** Checks a class the first time this Kryo meets it; afterwards the cached registration answers. */
  @Override
  @SuppressWarnings("rawtypes") // Kryo's signature
  public Registration getRegistration(Class type) {
    Registration registration = super.getRegistration(type);
    if (registration == null && !allowList.allows(type)) {
      throw new ClassNotAllowedException(type.getName());
    }
    return registration;
  }

  /**
   * Writes an enum constant with a body under its enum's name: the body's class name ({@code Op$1})
   * depends on declaration order and would need its own allow-list entry; the enum reads it back by name.
   */
  @Override
  @SuppressWarnings("rawtypes") // Kryo's signature
  public Registration writeClass(Output output, Class type) {
    return super.writeClass(output, type == null ? null : ClassAllowList.enumOf(type));
  }

  @Override
  protected Class<?> getTypeByName(String className) {
    if (!allowList.allows(className)) {
      return ClassAllowList.enumNamed(className, kryo.getClassLoader());
    }
    return super.getTypeByName(className);
  }
}
