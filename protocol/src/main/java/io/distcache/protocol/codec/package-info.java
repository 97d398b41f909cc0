/**
 * The value codec and the canonical key encoding of the namespace protocol (docs/design.md §3 and §7),
 * shared by the JCache provider and the producer.
 *
 * <ul>
 *   <li>{@link io.distcache.protocol.codec.Envelope} — the bytes of a Redis value: flags, version, payload.</li>
 *   <li>{@link io.distcache.protocol.codec.ValueCodec} / {@link io.distcache.protocol.codec.KryoValueCodec} —
 *       objects to payloads and back (Kryo 5, LZ4 above a size threshold), plus store-by-value copies.</li>
 *   <li>{@link io.distcache.protocol.codec.ClassAllowList} — the only classes the codec writes or instantiates.</li>
 *   <li>{@link io.distcache.protocol.codec.KeyEncoder} — cache keys to the text that goes in a Redis key.</li>
 *   <li>{@link io.distcache.protocol.codec.KeyEncoding} / {@link io.distcache.protocol.codec.KeyEncodings} — deterministic
 *       encodings of framework keys (e.g. Hibernate's), found with {@code ServiceLoader}.</li>
 * </ul>
 */
package io.distcache.protocol.codec;
