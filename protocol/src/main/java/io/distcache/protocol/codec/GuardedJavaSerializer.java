package io.distcache.protocol.codec;

import static java.util.Objects.requireNonNull;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.lang.reflect.Proxy;

/**
 * Java serialization inside a Kryo stream, for classes whose persistent form is their own
 * ({@code readResolve}, {@code readObject}, {@code writeReplace}, {@code Externalizable}): singletons come
 * back as the same instance and transient caches are rebuilt, as their authors intended.
 *
 * <p>Every class descriptor in the Java stream, nested ones and superclasses included, is checked against
 * the allow-list: by name before loading when reading, by class when writing. The block is length-prefixed
 * so a corrupt length is caught before allocating.
 */
final class GuardedJavaSerializer extends Serializer<Object> {

  private final ClassAllowList allowList;
  private final ClassLoader classLoader;
  private final int maxDepth;

  GuardedJavaSerializer(ClassAllowList allowList, ClassLoader classLoader, int maxDepth) {
    this.allowList = requireNonNull(allowList, "allowList");
    this.classLoader = requireNonNull(classLoader, "classLoader");
    this.maxDepth = maxDepth;
  }

  @Override
  public void write(Kryo kryo, Output output, Object object) {
    ByteArrayOutputStream block = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new GuardedOutputStream(block)) {
      out.writeObject(object);
    } catch (IOException e) {
      throw new KryoException("Java serialization of " + object.getClass().getName() + " failed: " + e, e);
    }
    output.writeVarInt(block.size(), true);
    output.writeBytes(block.toByteArray());
  }

  @Override
  public Object read(Kryo kryo, Input input, Class<?> type) {
    int length = input.readVarInt(true);
    int remaining = input.limit() - input.position();
    if (length < 0 || length > remaining) {
      throw new KryoException("a Java-serialized " + type.getName() + " declares " + length + " bytes but only "
          + remaining + " remain");
    }
    try (ObjectInputStream in = new GuardedInputStream(new ByteArrayInputStream(input.readBytes(length)))) {
      // merged, so a JVM-wide jdk.serialFilter still applies
      in.setObjectInputFilter(ObjectInputFilter.merge(bounds(length), in.getObjectInputFilter()));
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new KryoException("Java deserialization of " + type.getName() + " failed: " + e, e);
    }
  }

  /**
   * Refuses nesting deeper than {@code codec.max-depth} and an array longer than the block could hold (every
   * element takes at least one byte), before it is allocated.
   */
  private ObjectInputFilter bounds(int blockLength) {
    return info -> info.depth() > maxDepth || info.arrayLength() > blockLength
        ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED;
  }

  private final class GuardedOutputStream extends ObjectOutputStream {

    GuardedOutputStream(OutputStream out) throws IOException {
      super(out);
    }

    @Override
    protected void annotateClass(Class<?> type) {
      if (!allowList.allows(type)) {
        throw new ClassNotAllowedException(type.getName());
      }
    }

    @Override
    protected void annotateProxyClass(Class<?> type) {
      throw new ClassNotAllowedException(type.getName());
    }
  }

  private final class GuardedInputStream extends ObjectInputStream {

    GuardedInputStream(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass descriptor) throws IOException, ClassNotFoundException {
      String name = descriptor.getName();
      if (!allowList.allows(name)) {
        return ClassAllowList.enumNamed(name, classLoader);
      }
      try {
        return Class.forName(name, false, classLoader);
      } catch (ClassNotFoundException e) {
        // primitive type names ("int") are resolved by the JDK's own lookup
        return super.resolveClass(descriptor);
      }
    }

    /** Refused before any interface is loaded: a proxy instantiates an arbitrary invocation handler. */
    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) {
      throw new ClassNotAllowedException(Proxy.class.getName());
    }
  }
}
