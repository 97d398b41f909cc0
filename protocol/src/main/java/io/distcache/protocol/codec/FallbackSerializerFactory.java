package io.distcache.protocol.codec;

import static java.util.Objects.requireNonNull;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer;
import java.io.Externalizable;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serializer for classes no Kryo default serializer claims: {@link GuardedJavaSerializer} for
 * {@link Serializable} classes that define their own serialized form, Kryo's field serializer otherwise.
 */
final class FallbackSerializerFactory extends SerializerFactory.BaseSerializerFactory<Serializer<?>> {

  private static final Logger LOG = LoggerFactory.getLogger(FallbackSerializerFactory.class);

  private final SerializerFactory<?> fields;
  private final GuardedJavaSerializer java;

  /**
   * @param compatible whether fields are written by name ({@link CodecFormat#COMPATIBLE}) or by position
   */
  FallbackSerializerFactory(GuardedJavaSerializer java, boolean compatible) {
    this.java = requireNonNull(java, "java");
    this.fields = compatible ? compatibleFields() : new SerializerFactory.FieldSerializerFactory();
  }

  /** Field names written, each value with its class: a reader without a field can still skip its value. */
  private static SerializerFactory<?> compatibleFields() {
    CompatibleFieldSerializer.CompatibleFieldSerializerConfig config =
        new CompatibleFieldSerializer.CompatibleFieldSerializerConfig();
    config.setReadUnknownFieldData(true);
    config.setChunkedEncoding(false);
    return new SerializerFactory.BaseSerializerFactory<Serializer<?>>() {
      @Override
      @SuppressWarnings({"rawtypes", "unchecked"}) // Kryo's signature
      public Serializer<?> newSerializer(Kryo kryo, Class type) {
        return new CountCheckedFields<>(kryo, type, config);
      }
    };
  }

  /**
   * Kryo's compatible field serializer, refusing a declared number of field names the remaining bytes cannot
   * hold before it allocates for them: the names come right after the instance is created, the first time the
   * class appears in a value.
   */
  private static final class CountCheckedFields<T> extends CompatibleFieldSerializer<T> {

    CountCheckedFields(Kryo kryo, Class<T> type, CompatibleFieldSerializerConfig config) {
      super(kryo, type, config);
    }

    @Override
    protected T create(Kryo kryo, Input input, Class<? extends T> type) {
      if (kryo.getGraphContext().get(this) == null) {
        int start = input.position();
        long count = input.readVarInt(true) & 0xFFFFFFFFL;
        input.setPosition(start);
        BoundedInput.requireRemaining(input, count, 1, "the field names of " + type.getName());
      }
      return super.create(kryo, input, type);
    }
  }

  @Override
  @SuppressWarnings("rawtypes") // Kryo's signature
  public Serializer<?> newSerializer(Kryo kryo, Class type) {
    if (definesSerializedForm(type)) {
      LOG.debug("{} defines its own Java serialized form; the codec writes it with Java serialization", type.getName());
      return java;
    }
    return fields.newSerializer(kryo, type);
  }

  /**
   * Whether a class relies on Java serialization hooks that a field-by-field copy would bypass: a
   * {@code readResolve} singleton would come back as a second instance, a {@code readObject} that rebuilds
   * transient state (a cached hash) would leave it empty.
   */
  static boolean definesSerializedForm(Class<?> type) {
    if (!Serializable.class.isAssignableFrom(type)) {
      return false;
    }
    if (Externalizable.class.isAssignableFrom(type)) {
      return true;
    }
    for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
      boolean hooked = Arrays.stream(current.getDeclaredMethods()).anyMatch(method ->
          switch (method.getName()) {
            case "readResolve", "writeReplace" -> method.getParameterCount() == 0;
            case "readObject" -> Arrays.equals(method.getParameterTypes(), new Class<?>[] {ObjectInputStream.class});
            default -> false;
          });
      if (hooked) {
        return true;
      }
    }
    return false;
  }
}
