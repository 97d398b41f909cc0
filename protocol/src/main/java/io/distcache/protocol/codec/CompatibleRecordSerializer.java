package io.distcache.protocol.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a record as its components by name, each value with its class, so that a version of the record with
 * components added or removed reads it: a component the bytes lack gets its type's default ({@code null},
 * {@code 0}, {@code false}), a component the record lacks is read and dropped. A component whose type changed
 * is not compatible: the value is refused as undecodable.
 */
final class CompatibleRecordSerializer<T> extends Serializer<T> {

  private final Class<T> type;
  private final RecordComponent[] components;
  private final Method[] accessors;
  private final Map<String, Integer> indexByName = new HashMap<>();
  private final Constructor<T> constructor;

  CompatibleRecordSerializer(Class<T> type) {
    super(false, true);
    this.type = type;
    this.components = type.getRecordComponents();
    this.accessors = new Method[components.length];
    Class<?>[] parameterTypes = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      accessors[i] = components[i].getAccessor();
      accessors[i].setAccessible(true);
      parameterTypes[i] = components[i].getType();
      indexByName.put(components[i].getName(), i);
    }
    try {
      this.constructor = type.getDeclaredConstructor(parameterTypes);
      constructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new KryoException("record " + type.getName() + " has no canonical constructor", e);
    }
  }

  @Override
  public void write(Kryo kryo, Output output, T record) {
    output.writeVarInt(components.length, true);
    for (int i = 0; i < components.length; i++) {
      output.writeString(components[i].getName());
      try {
        kryo.writeClassAndObject(output, accessors[i].invoke(record));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new KryoException("cannot read component " + components[i].getName() + " of " + type.getName(), e);
      }
    }
  }

  @Override
  public T read(Kryo kryo, Input input, Class<? extends T> readType) {
    int count = input.readVarInt(true);
    BoundedInput.requireRemaining(input, count, 2, "a record " + type.getName());
    Object[] arguments = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      Class<?> componentType = components[i].getType();
      arguments[i] = componentType.isPrimitive() ? Array.get(Array.newInstance(componentType, 1), 0) : null;
    }
    for (int i = 0; i < count; i++) {
      String name = input.readString();
      Object value = kryo.readClassAndObject(input);
      Integer index = indexByName.get(name);
      if (index != null && (value != null || !components[index].getType().isPrimitive())) {
        arguments[index] = value;
      }
    }
    try {
      return constructor.newInstance(arguments);
    } catch (IllegalArgumentException e) {
      throw new KryoException("a component of " + type.getName() + " changed type: " + e.getMessage(), e);
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new KryoException("cannot create " + type.getName() + ": " + e, e);
    }
  }
}
