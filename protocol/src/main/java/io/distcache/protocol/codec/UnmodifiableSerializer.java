package io.distcache.protocol.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Serializes the {@code Collections.unmodifiable*} wrappers as a modifiable copy of their content and
 * wraps it again on read. Kryo 5.6 has no serializer for them: its collection serializer would
 * instantiate the wrapper and call {@code add}, which it refuses, and Java 17 forbids reflective access to
 * the wrapped field.
 *
 * <p>Each copy type keeps what the wrapper's users may rely on: iteration order (linked collections),
 * comparators (tree collections) and random access (array list for random-access lists only).
 *
 * @param <C> the modifiable copy's type
 */
final class UnmodifiableSerializer<C> extends Serializer<Object> {

  private final Class<C> copyType;
  private final Function<Object, C> copier;
  private final Function<C, Object> wrapper;

  private UnmodifiableSerializer(Class<C> copyType, Function<Object, C> copier, Function<C, Object> wrapper) {
    this.copyType = copyType;
    this.copier = copier;
    this.wrapper = wrapper;
  }

  /** Registers a serializer for each wrapper class as a Kryo default serializer. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void addDefaultSerializers(Kryo kryo) {
    Function<Object, ArrayList> arrayList = c -> new ArrayList<>((Collection<?>) c);
    Function<Object, TreeSet> treeSet = c -> new TreeSet<>((SortedSet<?>) c);
    Function<Object, TreeMap> treeMap = c -> new TreeMap<>((SortedMap<?, ?>) c);
    add(kryo, Collections.unmodifiableCollection(new ArrayList<>()),
        new UnmodifiableSerializer<>(ArrayList.class, arrayList, Collections::unmodifiableCollection));
    add(kryo, Collections.unmodifiableList(new ArrayList<>()),
        new UnmodifiableSerializer<>(ArrayList.class, arrayList, Collections::unmodifiableList));
    add(kryo, Collections.unmodifiableList(new LinkedList<>()),
        new UnmodifiableSerializer<>(LinkedList.class, c -> new LinkedList<>((Collection<?>) c),
            Collections::unmodifiableList));
    add(kryo, Collections.unmodifiableSet(new HashSet<>()),
        new UnmodifiableSerializer<>(LinkedHashSet.class, c -> new LinkedHashSet<>((Collection<?>) c),
            Collections::unmodifiableSet));
    add(kryo, Collections.unmodifiableSortedSet(new TreeSet<>()),
        new UnmodifiableSerializer<>(TreeSet.class, treeSet, Collections::unmodifiableSortedSet));
    add(kryo, Collections.unmodifiableNavigableSet(new TreeSet<>()),
        new UnmodifiableSerializer<>(TreeSet.class, treeSet, s -> Collections.unmodifiableNavigableSet((NavigableSet) s)));
    add(kryo, Collections.unmodifiableMap(new HashMap<>()),
        new UnmodifiableSerializer<>(LinkedHashMap.class, c -> new LinkedHashMap<>((Map<?, ?>) c),
            Collections::unmodifiableMap));
    add(kryo, Collections.unmodifiableSortedMap(new TreeMap<>()),
        new UnmodifiableSerializer<>(TreeMap.class, treeMap, Collections::unmodifiableSortedMap));
    add(kryo, Collections.unmodifiableNavigableMap(new TreeMap<>()),
        new UnmodifiableSerializer<>(TreeMap.class, treeMap, m -> Collections.unmodifiableNavigableMap((NavigableMap) m)));
  }

  private static void add(Kryo kryo, Object sample, UnmodifiableSerializer<?> serializer) {
    kryo.addDefaultSerializer(sample.getClass(), serializer);
  }

  @Override
  public void write(Kryo kryo, Output output, Object wrapped) {
    kryo.writeObject(output, copier.apply(wrapped));
  }

  @Override
  public Object read(Kryo kryo, Input input, Class<?> type) {
    return wrapper.apply(kryo.readObject(input, copyType));
  }
}
