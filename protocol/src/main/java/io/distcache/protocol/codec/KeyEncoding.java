package io.distcache.protocol.codec;

import java.util.List;

/**
 * A deterministic encoding for key classes whose own serialized form differs between JVMs, such as a
 * framework's key that caches an identity-based hash code. Found with {@link java.util.ServiceLoader}
 * (see {@link KeyEncodings}); {@link KeyEncoder} asks each installed encoding before it falls back to the
 * codec's key bytes.
 *
 * <p>An encoding turns a key into {@linkplain #parts(Object) parts} made of values the codec encodes
 * deterministically (strings, numbers, enums, arrays of them), and {@linkplain #key(Object[]) rebuilds} a key
 * equal to the original, with the hash code this JVM would compute, from those parts. The Redis key text is
 * {@code <tag>:<base64url of the codec's key bytes of the parts>}.
 *
 * <p>Implementations are stateless and thread-safe, have a public no-argument constructor, and may depend
 * on optional libraries: an encoding whose classes cannot be loaded is skipped.
 */
public interface KeyEncoding {

  /**
   * The one-letter tag that starts this encoding's key text: a lower-case ASCII letter other than the
   * built-in {@code s}, {@code i}, {@code l}, {@code u} and {@code o}, unique among installed encodings.
   */
  char tag();

  /** Whether this encoding writes the key; called for every key that is not a built-in type. */
  boolean handles(Object key);

  /**
   * The parts that identify the key, equal for equal keys on every JVM.
   *
   * @param key a key for which {@link #handles(Object)} returned {@code true}
   */
  Object[] parts(Object key);

  /**
   * A key equal to the one whose {@link #parts(Object)} these are, with this JVM's hash code.
   *
   * @throws IllegalArgumentException when the parts were not written by this encoding
   */
  Object key(Object[] parts);

  /**
   * Package prefixes the codec must allow for caches to hold this framework's values (its cache entry
   * classes); added to every cache's allow-list while this encoding is installed.
   */
  default List<String> allowedPackages() {
    return List.of();
  }
}
