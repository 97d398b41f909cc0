package io.distcache.protocol.codec;

/**
 * Turns cache values into payloads and back, makes store-by-value copies, and gives {@link KeyEncoder} the
 * deterministic bytes of composite keys. Implementations are thread-safe and refuse classes outside their
 * {@link ClassAllowList} on every path with {@link ClassNotAllowedException}.
 */
public interface ValueCodec {

  /** The codec id written in the low 4 bits of {@link Envelope#flags()}, also recorded in namespace metadata. */
  byte codecId();

  /**
   * Encodes a value, compressing the payload when the codec's threshold says so.
   *
   * @param value a non-null value
   * @throws ClassNotAllowedException when the value's object graph holds a class outside the allow-list
   * @throws UnserializableValueException when an allowed class cannot be serialized
   */
  EncodedValue encode(Object value);

  /**
   * Decodes a payload produced by {@link #encode(Object)}, decompressing it when the flags say so.
   *
   * @param flags the envelope's flags (codec id and compression flag)
   * @param payload the envelope's payload
   * @throws ClassNotAllowedException when the payload names a class outside the allow-list; nothing of
   *     that class is loaded or created
   * @throws CorruptValueException when the flags name another codec or the payload cannot be decoded
   * @throws IllegalArgumentException when the flags mark a tombstone, which has no value
   */
  default Object decode(byte flags, byte[] payload) {
    return decode(flags, payload, 0, payload.length);
  }

  /**
   * Decodes a payload that fills {@code length} bytes of {@code buffer} from {@code offset}, e.g. inside a
   * whole Redis value, without copying it out first; otherwise exactly like {@link #decode(byte, byte[])}.
   *
   * @throws IndexOutOfBoundsException when the range lies outside the buffer
   */
  Object decode(byte flags, byte[] buffer, int offset, int length);

  /**
   * An encoding for copies that never leave this JVM (a by-value near cache decodes one per hit): the
   * fastest form to decode, which need not be readable by other versions of the value's classes.
   *
   * @param value a non-null value
   * @throws ClassNotAllowedException when the value's object graph holds a class outside the allow-list
   * @throws UnserializableValueException when an allowed class cannot be serialized
   */
  default EncodedValue encodeLocal(Object value) {
    return encode(value);
  }

  /**
   * Whether a payload with these flags, which decodes to {@code value}, decodes as fast as its
   * {@link #encodeLocal(Object)} form: a by-value near cache then keeps it as it is rather than encoding the value
   * again.
   */
  default boolean isLocal(byte flags, Object value) {
    return true;
  }

  /**
   * A deep copy for store-by-value caches: exactly what a reader of the encoded value would get. Known
   * immutable values (strings, boxed primitives, {@code BigDecimal}, {@code BigInteger}, {@code UUID},
   * {@code URI}, {@code Locale}, {@code Currency}, {@code java.time} values) are returned as they are;
   * enum constants and singletons with {@code readResolve} come back as the same instance by construction.
   *
   * @param value a non-null value
   * @throws ClassNotAllowedException when the value's object graph holds a class outside the allow-list
   * @throws UnserializableValueException when an allowed class cannot be serialized
   */
  Object copy(Object value);

  /**
   * The deterministic bytes of a key: never compressed, and equal keys give equal bytes on every JVM that
   * runs the same classes (no identity hash codes, no back-references to shared instances, enums by name).
   *
   * @param key a non-null key
   * @throws ClassNotAllowedException when the key's object graph holds a class outside the allow-list
   * @throws UnserializableValueException when an allowed class cannot be serialized
   */
  byte[] encodeKey(Object key);

  /**
   * Decodes bytes produced by {@link #encodeKey(Object)}.
   *
   * @throws ClassNotAllowedException when the bytes name a class outside the allow-list
   * @throws CorruptValueException when the bytes cannot be decoded
   */
  Object decodeKey(byte[] bytes);
}
