package io.distcache.protocol.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Kryo's collection, map, object-array and {@code boolean[]} serializers, refusing a declared size the
 * remaining bytes cannot hold before they allocate for it (every element takes at least one byte). Kryo's
 * own serializers for {@code List.of} and {@code Arrays.asList} are final and keep their unchecked sizes
 * (Kryo 5.6.2 has no hook for it; the value's whole size and depth are still bounded).
 */
final class BoundedSerializers {

  private BoundedSerializers() {
  }

  /**
   * What plain Kryo picks for each type: the bounded serializers replace exactly its plain collection, map and
   * array serializers, and leave the specific ones (EnumSet, TreeMap, singletons, ...) alone.
   */
  private static final Kryo PLAIN = new Kryo();
  private static final ClassValue<Class<?>> PLAIN_SERIALIZER = new ClassValue<>() {
    @Override
    protected Class<?> computeValue(Class<?> type) {
      synchronized (PLAIN) {
        return PLAIN.getDefaultSerializer(type).getClass();
      }
    }
  };

  /** Makes these the serializers of the collections, maps and object arrays plain Kryo serializes generically. */
  static void register(Kryo kryo) {
    kryo.addDefaultSerializer(Collection.class,
        factory(CollectionSerializer.class, (k, type) -> new BoundedCollectionSerializer()));
    kryo.addDefaultSerializer(Map.class, factory(MapSerializer.class, (k, type) -> new BoundedMapSerializer()));
    kryo.addDefaultSerializer(String[].class, factory(DefaultArraySerializers.StringArraySerializer.class,
        (k, type) -> new BoundedStringArraySerializer()));
    kryo.addDefaultSerializer(Object[].class,
        factory(DefaultArraySerializers.ObjectArraySerializer.class, BoundedObjectArraySerializer::new));
    // the only primitive array serializer that allocates itself instead of through Input.readXxxs(length)
    kryo.addDefaultSerializer(boolean[].class, factory(DefaultArraySerializers.BooleanArraySerializer.class,
        (k, type) -> new BoundedBooleanArraySerializer()));
  }

  /** A factory for the types plain Kryo serializes with {@code replaced}. */
  private static SerializerFactory<Serializer<?>> factory(Class<?> replaced,
      BiFunction<Kryo, Class<?>, Serializer<?>> create) {
    return new SerializerFactory.BaseSerializerFactory<>() {
      @Override
      @SuppressWarnings("rawtypes") // Kryo's signature
      public Serializer<?> newSerializer(Kryo kryo, Class type) {
        return create.apply(kryo, type);
      }

      @Override
      @SuppressWarnings("rawtypes") // Kryo's signature
      public boolean isSupported(Class type) {
        return PLAIN_SERIALIZER.get(type) == replaced;
      }
    };
  }

  /** The length an array serializer is about to read (written + 1; 0 is null), without consuming it. */
  private static void requireArrayLength(Input input, String what) {
    int start = input.position();
    int lengthPlusOne = input.readVarInt(true);
    input.setPosition(start);
    if (lengthPlusOne != 0) {
      BoundedInput.requireRemaining(input, lengthPlusOne - 1L, 1, what);
    }
  }

  /** Kryo's collection serializer with the size checked. */
  @SuppressWarnings("rawtypes")
  static final class BoundedCollectionSerializer extends CollectionSerializer<Collection> {
    @Override
    protected Collection create(Kryo kryo, Input input, Class<? extends Collection> type, int size) {
      BoundedInput.requireRemaining(input, size, 1, "a " + type.getName());
      return super.create(kryo, input, type, size);
    }
  }

  /** Kryo's map serializer with the size checked. */
  @SuppressWarnings("rawtypes")
  static final class BoundedMapSerializer extends MapSerializer<Map> {
    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      BoundedInput.requireRemaining(input, size, 2, "a " + type.getName());
      return super.create(kryo, input, type, size);
    }
  }

  /** Kryo's {@code String[]} serializer with the length checked. */
  static final class BoundedStringArraySerializer extends DefaultArraySerializers.StringArraySerializer {
    @Override
    public String[] read(Kryo kryo, Input input, Class type) {
      requireArrayLength(input, "a String[]");
      return super.read(kryo, input, type);
    }
  }

  /** Kryo's {@code boolean[]} serializer with the length checked. */
  static final class BoundedBooleanArraySerializer extends DefaultArraySerializers.BooleanArraySerializer {
    @Override
    public boolean[] read(Kryo kryo, Input input, Class type) {
      requireArrayLength(input, "a boolean[]");
      return super.read(kryo, input, type);
    }
  }

  /** Kryo's object-array serializer with the length checked. */
  static final class BoundedObjectArraySerializer extends DefaultArraySerializers.ObjectArraySerializer {
    BoundedObjectArraySerializer(Kryo kryo, Class<?> type) {
      super(kryo, type);
    }

    @Override
    public Object[] read(Kryo kryo, Input input, Class type) {
      requireArrayLength(input, "an array of " + type.getComponentType().getName());
      return super.read(kryo, input, type);
    }
  }
}
