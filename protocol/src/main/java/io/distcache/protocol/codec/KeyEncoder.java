package io.distcache.protocol.codec;

import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * The canonical, reversible text of a cache key, used inside Redis keys and change-log entries
 * (docs/design.md §3). Equal keys give equal text on every JVM that runs the same classes.
 *
 * <table>
 *   <caption>Encodings</caption>
 *   <tr><th>key</th><th>text</th></tr>
 *   <tr><td>{@code String}</td><td>{@code s:<text>}</td></tr>
 *   <tr><td>{@code Integer}</td><td>{@code i:<decimal>}</td></tr>
 *   <tr><td>{@code Long}</td><td>{@code l:<decimal>}</td></tr>
 *   <tr><td>{@code UUID}</td><td>{@code u:<canonical lower-case form>}</td></tr>
 *   <tr><td>a key an installed {@link KeyEncoding} handles</td>
 *       <td>{@code <tag>:<base64url, unpadded, of ValueCodec.encodeKey(encoding.parts(key))>}</td></tr>
 *   <tr><td>anything else</td><td>{@code o:<base64url, unpadded, of ValueCodec.encodeKey(key)>}</td></tr>
 * </table>
 *
 * <p>Composite keys must not depend on iteration order of hash-based collections or on identity hash
 * codes: a key holding a {@code HashSet} of enums, or a class caching {@code System.identityHashCode},
 * would encode differently on two JVMs. Records and classes with value fields are fine.
 */
public final class KeyEncoder {

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder BASE64_DECODER = Base64.getUrlDecoder();

  private final ValueCodec codec;
  private final KeyEncodings encodings;

  /**
   * Creates an encoder that writes composite keys with the codec's deterministic key bytes, using the
   * {@linkplain KeyEncodings#installed() installed} key encodings for framework keys.
   */
  public KeyEncoder(ValueCodec codec) {
    this(codec, KeyEncodings.installed());
  }

  /** Creates an encoder with exactly these key encodings. */
  public KeyEncoder(ValueCodec codec, KeyEncodings encodings) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.encodings = Objects.requireNonNull(encodings, "encodings");
  }

  /**
   * Encodes a key.
   *
   * @throws ClassNotAllowedException when a composite key holds a class outside the codec's allow-list
   */
  public String encode(Object key) {
    Objects.requireNonNull(key, "key");
    if (key instanceof String text) {
      return "s:" + text;
    }
    if (key instanceof Integer number) {
      return "i:" + number;
    }
    if (key instanceof Long number) {
      return "l:" + number;
    }
    if (key instanceof UUID uuid) {
      return "u:" + uuid;
    }
    KeyEncoding encoding = encodings.forKey(key);
    if (encoding != null) {
      return encoding.tag() + ":" + BASE64.encodeToString(codec.encodeKey(encoding.parts(key)));
    }
    return "o:" + BASE64.encodeToString(codec.encodeKey(key));
  }

  /**
   * Decodes text produced by {@link #encode(Object)}.
   *
   * @throws CorruptValueException when the text is not an encoded key
   * @throws ClassNotAllowedException when a composite key names a class outside the codec's allow-list
   */
  public Object decode(String encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length() < 2 || encoded.charAt(1) != ':') {
      throw notAKey(encoded, null);
    }
    String body = encoded.substring(2);
    try {
      return switch (encoded.charAt(0)) {
        case 's' -> body;
        case 'i' -> Integer.valueOf(body);
        case 'l' -> Long.valueOf(body);
        case 'u' -> UUID.fromString(body);
        case 'o' -> codec.decodeKey(BASE64_DECODER.decode(body));
        default -> decodeWith(encodings.forTag(encoded.charAt(0)), body, encoded);
      };
    } catch (IllegalArgumentException e) {
      // NumberFormatException and malformed UUID or base64 text
      throw notAKey(encoded, e);
    }
  }

  private Object decodeWith(KeyEncoding encoding, String body, String encoded) {
    if (encoding == null || !(codec.decodeKey(BASE64_DECODER.decode(body)) instanceof Object[] parts)) {
      throw notAKey(encoded, null);
    }
    try {
      return encoding.key(parts);
    } catch (ClassCastException e) {
      throw notAKey(encoded, e);
    }
  }

  private static CorruptValueException notAKey(String encoded, Throwable cause) {
    String shown = encoded.length() > 80 ? encoded.substring(0, 80) + "…" : encoded;
    return new CorruptValueException("'" + shown + "' is not a distcache-encoded key (expected s:, i:, l:, u:, o: or"
        + " an installed KeyEncoding's tag followed by the key): the Redis key was written by another tool, or by"
        + " an application with a KeyEncoding (e.g. Hibernate's) this one lacks. Keep other tools out of the"
        + " namespace or delete the key.", cause);
  }
}
