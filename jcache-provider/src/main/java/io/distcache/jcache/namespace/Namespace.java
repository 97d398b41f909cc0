package io.distcache.jcache.namespace;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The Redis key layout of one namespace (DESIGN.md §3), shared by the provider and the producer.
 *
 * <p>Every key of a namespace starts with {@code <prefix>:<escaped name>:}. The escaped name keeps
 * {@code [A-Za-z0-9._-]} and percent-encodes every other UTF-8 byte, so cache names holding
 * {@code :}, {@code ##}, braces or spaces can neither collide with the layout separators nor
 * create accidental Redis Cluster hash tags. Entries get no hash tag either, so a namespace's
 * entries spread over all cluster slots.
 *
 * <ul>
 *   <li>{@code <base>k:<encoded key>} — an entry (value envelope, optional TTL)</li>
 *   <li>{@code <base>log} — the change log stream: fields {@code k} (encoded key, or {@code *} for
 *       a clear) and {@code v} (version)</li>
 *   <li>{@code <base>seq} — the version counter of writes made by caches</li>
 *   <li>{@code <base>meta} — hash: generation, owner, codec, offsets</li>
 * </ul>
 */
public final class Namespace {

  /** The change-log key field that marks "every entry of the namespace changed". */
  public static final String CLEAR_MARKER = "*";

  private final String name;
  private final String base;

  private Namespace(String prefix, String name) {
    this.name = name;
    this.base = prefix + ':' + name + ':';
  }

  /**
   * Creates the layout of a namespace.
   *
   * @param prefix the key prefix shared by all namespaces of a deployment (e.g. {@code dc})
   * @param name an already escaped namespace name, see {@link #escape(String)}
   */
  public static Namespace of(String prefix, String name) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || !name.chars().allMatch(c -> isSafe(c) || c == '%')) {
      throw new IllegalArgumentException("namespace '" + name
          + "' holds characters outside [A-Za-z0-9._-%]; derive it with Namespace.escape(cacheName)");
    }
    return new Namespace(prefix, name);
  }

  /**
   * The deployment's heartbeat key: CacheManagers write the time to it on the master every second
   * and read it back from replicas to notice one that stopped following its master.
   */
  public static String heartbeatKey(String prefix) {
    return prefix + ":hb";
  }

  /** Derives the namespace name of a cache name: safe characters kept, every other byte as {@code %XX}. */
  public static String escape(String cacheName) {
    byte[] bytes = cacheName.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (isSafe(c)) {
        out.write(c);
      } else {
        out.write('%');
        out.write(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.write(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  private static boolean isSafe(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '-';
  }

  /** The escaped namespace name. */
  public String name() {
    return name;
  }

  /** The Redis key of an entry. */
  public String entryKey(String encodedKey) {
    return entryPrefix() + encodedKey;
  }

  /** What every entry key of the namespace starts with. */
  public String entryPrefix() {
    return base + "k:";
  }

  /** The encoded cache key inside an entry's Redis key. */
  public String encodedKeyOf(String entryKey) {
    return entryKey.substring(entryPrefix().length());
  }

  /** The {@code SCAN MATCH} pattern of all entries (glob characters in the prefix escaped). */
  public String entryPattern() {
    return globEscape(entryPrefix()) + '*';
  }

  /** The change-log stream key. */
  public String logKey() {
    return base + "log";
  }

  /** The version counter key. */
  public String sequenceKey() {
    return base + "seq";
  }

  /** The meta hash key. */
  public String metaKey() {
    return base + "meta";
  }

  private static String globEscape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 4);
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Namespace that && base.equals(that.base);
  }

  @Override
  public int hashCode() {
    return base.hashCode();
  }

  @Override
  public String toString() {
    return base.substring(0, base.length() - 1);
  }
}
