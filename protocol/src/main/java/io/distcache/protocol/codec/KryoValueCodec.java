package io.distcache.protocol.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TimestampSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.URISerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.UUIDSerializer;
import com.esotericsoftware.kryo.serializers.EnumNameSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.objenesis.strategy.StdInstantiatorStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kryo 5 codec ({@link Envelope#CODEC_KRYO} and {@link Envelope#CODEC_KRYO_COMPATIBLE}): Kryo payloads,
 * LZ4-compressed from a size threshold, restricted to a {@link ClassAllowList}, bounded by {@link CodecLimits}.
 * Thread-safe; Kryo instances are pooled.
 *
 * <p>Wire format decisions, fixed because other JVMs read what this one writes:
 * <ul>
 *   <li>classes are written by name (no registration ids), so writer and reader need no shared
 *       registration order;</li>
 *   <li>enums are written by constant name, so reordering constants cannot silently change values;</li>
 *   <li>{@code Serializable} classes with {@code readResolve}, {@code readObject}, {@code writeReplace} or
 *       {@code Externalizable} are written with Java serialization (allow-list guarded), other classes field
 *       by field. In the {@link CodecFormat#COMPATIBLE} format fields and record components are written with
 *       their names and each value with its class, so versions of a class with fields added or removed read
 *       each other's values; in the {@link CodecFormat#POSITIONAL} format (fields sorted by name, no names
 *       written) they do not. Both formats are read whichever this codec writes; keys are always positional,
 *       since their bytes are Redis key names;</li>
 *   <li>classes without a no-arg constructor are instantiated through Objenesis, as Hibernate cache entries
 *       require.</li>
 * </ul>
 *
 * <p>Values keep Kryo reference tracking (shared and cyclic graphs survive); keys do not, because a
 * back-reference to a shared instance would make equal keys encode differently.
 */
public final class KryoValueCodec implements ValueCodec {

  private static final Logger LOG = LoggerFactory.getLogger(KryoValueCodec.class);

  private static final int INITIAL_BUFFER_BYTES = 256;
  /** How Kryo marks a class written by name rather than by registration id. */
  private static final int CLASS_BY_NAME = 1;
  /**
   * Free Kryo instances kept per pool (rounded up to a power of two); more threads may borrow at once, extras are
   * dropped on return.
   */
  private static final int POOL_CAPACITY = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

  /**
   * Final JDK types whose instances cannot change, so {@link #copy(Object)} may share them. Their serializers are
   * Kryo's own, the same in both formats, so their bytes are too ({@link #isLocal(byte, Object)}).
   */
  static final Set<Class<?>> IMMUTABLE_TYPES = Set.of(
      String.class, Boolean.class, Byte.class, Short.class, Integer.class, Long.class, Float.class,
      Double.class, Character.class, BigDecimal.class, BigInteger.class, UUID.class, URI.class, Locale.class,
      Currency.class, Duration.class, Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
      OffsetTime.class, OffsetDateTime.class, ZonedDateTime.class, Year.class, YearMonth.class, MonthDay.class,
      Period.class);

  private final ClassAllowList allowList;
  private final int compressionThresholdBytes;
  private final CodecLimits limits;
  private final ClassLoader classLoader;
  private final CodecFormat format;
  private final GuardedJavaSerializer javaSerializer;
  private final FallbackSerializerFactory positionalFields;
  private final FallbackSerializerFactory compatibleFields;
  /** Values in the {@link CodecFormat#POSITIONAL} format. */
  private final InstancePool<Kryo> positionalKryos;
  /** Values in the {@link CodecFormat#COMPATIBLE} format. */
  private final InstancePool<Kryo> compatibleKryos;
  /** The pool of the format this codec writes. */
  private final InstancePool<Kryo> valueKryos;
  /** Keys: always positional, since a key's bytes are its Redis key and must never change. */
  private final InstancePool<Kryo> keyKryos;

  /**
   * Creates a codec.
   *
   * @param allowList the classes this codec may write and instantiate
   * @param compressionThresholdBytes payloads of at least this many bytes are LZ4-compressed (kept only if
   *     smaller); 0 or negative never compresses
   * @param classLoader loads the classes named in payloads (the cache manager's class loader)
   */
  public KryoValueCodec(ClassAllowList allowList, int compressionThresholdBytes, ClassLoader classLoader) {
    this(allowList, compressionThresholdBytes, classLoader, CodecLimits.defaults(), CodecFormat.POSITIONAL);
  }

  /**
   * Creates a codec with explicit limits on what hostile bytes may make it do, writing values in {@code format}
   * (it reads both formats).
   *
   * @param limits the nesting depth and decompressed size values may reach
   */
  public KryoValueCodec(ClassAllowList allowList, int compressionThresholdBytes, ClassLoader classLoader,
      CodecLimits limits, CodecFormat format) {
    this.allowList = Objects.requireNonNull(allowList, "allowList");
    this.compressionThresholdBytes = compressionThresholdBytes;
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.format = Objects.requireNonNull(format, "format");
    this.javaSerializer = new GuardedJavaSerializer(allowList, classLoader, limits.maxDepth());
    this.positionalFields = new FallbackSerializerFactory(javaSerializer, false);
    this.compatibleFields = new FallbackSerializerFactory(javaSerializer, true);
    this.positionalKryos = pool(true, false);
    this.compatibleKryos = pool(true, true);
    this.valueKryos = format == CodecFormat.COMPATIBLE ? compatibleKryos : positionalKryos;
    this.keyKryos = pool(false, false);
    LOG.debug("Kryo codec created: {}, compression threshold {} bytes", allowList, compressionThresholdBytes);
  }

  @Override
  public byte codecId() {
    return format.codecId();
  }

  @Override
  public EncodedValue encode(Object value) {
    Objects.requireNonNull(value, "value");
    Output output = write(valueKryos, value);
    if (compressionThresholdBytes > 0 && output.position() >= compressionThresholdBytes) {
      byte[] compressed = Lz4Block.compress(output.getBuffer(), output.position());
      // incompressible data (already compressed images, random ids) is stored as is: cheaper to read
      if (compressed.length < output.position()) {
        return new EncodedValue((byte) (format.codecId() | Envelope.COMPRESSED), compressed);
      }
    }
    return new EncodedValue(format.codecId(), output.toBytes());
  }

  @Override
  public Object decode(byte flags, byte[] buffer, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
    if ((flags & Envelope.TOMBSTONE) != 0) {
      throw new IllegalArgumentException("flags " + Envelope.hex(flags) + " mark a tombstone, which has no value;"
          + " check Envelope.isTombstone() before decoding");
    }
    int codec = flags & ~Envelope.COMPRESSED;
    if (codec != Envelope.CODEC_KRYO && codec != Envelope.CODEC_KRYO_COMPATIBLE) {
      throw new CorruptValueException("The value's flags " + Envelope.hex(flags) + " name another codec or unknown"
          + " bits; this codec reads codecs " + Envelope.CODEC_KRYO + " and " + Envelope.CODEC_KRYO_COMPATIBLE
          + " (Kryo) only. Evict the key or upgrade this application.");
    }
    InstancePool<Kryo> kryos = codec == Envelope.CODEC_KRYO_COMPATIBLE ? compatibleKryos : positionalKryos;
    if ((flags & Envelope.COMPRESSED) != 0) {
      byte[] restored = Lz4Block.decompress(Arrays.copyOfRange(buffer, offset, offset + length),
          limits.maxDecodedBytes());
      return read(kryos, restored, 0, restored.length);
    }
    return read(kryos, buffer, offset, length);
  }

  /** Positional and uncompressed: fields by position decode about twice as fast as fields by name. */
  @Override
  public EncodedValue encodeLocal(Object value) {
    Objects.requireNonNull(value, "value");
    return new EncodedValue(Envelope.CODEC_KRYO, write(positionalKryos, value).toBytes());
  }

  /** Positional and uncompressed, or a JDK value type's compatible bytes, which are the positional ones. */
  @Override
  public boolean isLocal(byte flags, Object value) {
    return flags == Envelope.CODEC_KRYO
        || flags == Envelope.CODEC_KRYO_COMPATIBLE && IMMUTABLE_TYPES.contains(value.getClass());
  }

  @Override
  public Object copy(Object value) {
    Objects.requireNonNull(value, "value");
    if (IMMUTABLE_TYPES.contains(value.getClass()) || value instanceof ZoneId) {
      return value;
    }
    // a round trip through the wire format copies exactly what a remote reader would get, and every
    // serializer supports it (Kryo's own copy() is missing for several of them)
    Kryo kryo = valueKryos.obtain();
    Object copy;
    try {
      Output output = serialize(kryo, value);
      copy = deserialize(kryo, output.getBuffer(), 0, output.position());
    } catch (RuntimeException e) {
      throw writeFailure(value, e);
    }
    valueKryos.free(kryo);
    return copy;
  }

  @Override
  public byte[] encodeKey(Object key) {
    Objects.requireNonNull(key, "key");
    return write(keyKryos, key).toBytes();
  }

  @Override
  public Object decodeKey(byte[] bytes) {
    return read(keyKryos, Objects.requireNonNull(bytes, "bytes"), 0, bytes.length);
  }

  @Override
  public String toString() {
    return "KryoValueCodec[" + allowList + ", compressionThreshold=" + compressionThresholdBytes + "]";
  }

  // Kryo instances are borrowed without a lambda: a capturing one would be allocated on every call. An
  // instance whose work threw is not returned: it may hold half-reset state (references, class name ids),
  // and failures are rare enough to pay for a new one.

  private Output write(InstancePool<Kryo> kryos, Object value) {
    Kryo kryo = kryos.obtain();
    Output output;
    try {
      output = serialize(kryo, value);
    } catch (RuntimeException e) {
      throw writeFailure(value, e);
    }
    kryos.free(kryo);
    return output;
  }

  private Object read(InstancePool<Kryo> kryos, byte[] bytes, int offset, int length) {
    Kryo kryo = kryos.obtain();
    Object value;
    try {
      value = deserialize(kryo, bytes, offset, length);
    } catch (RuntimeException | StackOverflowError | ExceptionInInitializerError e) {
      // a stack overflow (a value hashing itself) or an enum whose initializer fails: the bytes are at fault
      ClassNotAllowedException refused = causeOf(e, ClassNotAllowedException.class);
      if (refused != null) {
        throw refused;
      }
      String valueClass = classNameOf(bytes, offset, length);
      throw new CorruptValueException("A cached value of " + length + " bytes"
          + (valueClass == null ? "" : " of class " + valueClass) + " cannot be decoded: " + e.getMessage()
          + "\nIt was probably written with an incompatible version of its classes (a field whose type changed, or"
          + " any change in codec.format=positional) or by another tool. Evict the key, or rebuild the namespace.",
          e, valueClass);
    }
    kryos.free(kryo);
    return value;
  }

  /**
   * The class name at the start of a payload, when it is written by name (Kryo: the byte 1, a name id, then
   * the name), else {@code null}; classes registered by id (JDK types) and damaged bytes give {@code null}.
   */
  static String classNameOf(byte[] bytes, int offset, int length) {
    try {
      Input input = new Input(bytes, offset, length);
      if (input.readVarInt(true) != CLASS_BY_NAME) {
        return null;
      }
      input.readVarInt(true);
      return input.readString();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Output serialize(Kryo kryo, Object value) {
    Output output = new Output(INITIAL_BUFFER_BYTES, -1);
    kryo.writeClassAndObject(output, value);
    return output;
  }

  private static Object deserialize(Kryo kryo, byte[] bytes, int offset, int length) {
    Input input = new BoundedInput(bytes, offset, length);
    Object value = kryo.readClassAndObject(input);
    if (value == null) {
      throw new KryoException("the payload encodes null, which no cache holds");
    }
    if (input.position() != offset + length) {
      throw new KryoException((offset + length - input.position()) + " bytes were left after decoding a "
          + value.getClass().getName());
    }
    return value;
  }

  private static RuntimeException writeFailure(Object value, RuntimeException failure) {
    ClassNotAllowedException refused = causeOf(failure, ClassNotAllowedException.class);
    if (refused != null) {
      return refused;
    }
    return new UnserializableValueException("A " + value.getClass().getName() + " cannot be serialized for the"
        + " cache: " + failure.getMessage() + "\nMake the offending field transient, or cache a simpler projection"
        + " of the value; JDK classes outside the default allow-list often cannot be serialized under Java 17"
        + " module encapsulation.", failure);
  }

  private static <E extends Throwable> E causeOf(Throwable failure, Class<E> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }

  private InstancePool<Kryo> pool(boolean references, boolean compatible) {
    return new InstancePool<>(POOL_CAPACITY, () -> newKryo(references, compatible));
  }

  private Kryo newKryo(boolean references, boolean compatible) {
    Kryo kryo = new Kryo(new AllowListClassResolver(allowList), references ? new MapReferenceResolver() : null);
    kryo.setRegistrationRequired(false);
    kryo.setClassLoader(classLoader);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    kryo.setMaxDepth(limits.maxDepth());
    BoundedSerializers.register(kryo);
    kryo.setDefaultSerializer(compatible ? compatibleFields : positionalFields);
    if (compatible) {
      // A reader skipping a field it lacks has no generic type to go by: element classes must be written.
      kryo.setOptimizedGenerics(false);
      kryo.addDefaultSerializer(Record.class, new SerializerFactory.BaseSerializerFactory<>() {
        @Override
        @SuppressWarnings({"rawtypes", "unchecked"}) // Kryo's signature
        public Serializer<?> newSerializer(Kryo k, Class type) {
          return new CompatibleRecordSerializer<>(type);
        }
      });
    }
    kryo.addDefaultSerializer(Enum.class, EnumNameSerializer.class);
    // Kryo 5.6 ships these but does not register them; its field serializer fails on the JDK classes
    // under Java 17 module encapsulation, and its Date serializer would drop a Timestamp's nanoseconds
    kryo.addDefaultSerializer(UUID.class, new UUIDSerializer());
    kryo.addDefaultSerializer(URI.class, new URISerializer());
    kryo.addDefaultSerializer(Timestamp.class, new TimestampSerializer());
    // Kryo's Locale serializer drops the script (sr-Latn-RS comes back as sr-RS); Java serialization is exact
    kryo.addDefaultSerializer(Locale.class, javaSerializer);
    UnmodifiableSerializer.addDefaultSerializers(kryo);
    return kryo;
  }
}
