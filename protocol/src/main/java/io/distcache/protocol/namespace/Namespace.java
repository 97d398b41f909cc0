package io.distcache.protocol.namespace;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The Redis key layout of one namespace (docs/design.md §3), shared by the provider and the producer.
 *
 * <p>The escaped name keeps {@code [A-Za-z0-9._-]} and percent-encodes every other UTF-8 byte, so
 * cache names holding {@code :}, {@code ##}, braces or spaces can neither collide with the layout
 * separators nor create accidental Redis Cluster hash tags.
 *
 * <ul>
 *   <li>{@code <prefix>:<name>:k:<encoded key>} — an entry (value envelope, optional TTL). Entries
 *       carry no hash tag, so on Redis Cluster a namespace's entries spread over all slots. A generation
 *       built by a producer beside the current one (a shadow build, docs/producer.md) has a key space of its
 *       own, {@code <prefix>:<name>:<space>:k:<encoded key>}; the meta hash's {@code space} field names the
 *       current one (none: the first layout).</li>
 *   <li>{@code <prefix>:<name>:l:<encoded key>} — the key's lease while a writer holds it; on Redis Cluster
 *       {@code <prefix>:<name>:l:{<tag>}:<encoded key>}, where the tag puts it in its entry's slot</li>
 *   <li>{@code <prefix>:{<prefix>}:<name>:log} — the change log stream: fields {@code k} (encoded
 *       key, or {@code *} for a clear) and {@code v} (version)</li>
 *   <li>{@code <prefix>:{<prefix>}:<name>:seq} — the version counter of writes made by caches</li>
 *   <li>{@code <prefix>:{<prefix>}:<name>:meta} — hash: generation, owner, codec, offsets</li>
 * </ul>
 *
 * <p>The bookkeeping keys of every namespace of a deployment share the hash tag {@code {<prefix>}}:
 * on Redis Cluster they live in one slot, so one blocking {@code XREAD} follows every change log a
 * CacheManager needs, and one script can check a generation, move offsets and append to the log.
 * Elsewhere the tag is an ordinary part of the name.
 */
public final class Namespace {

  /** The change-log key field that marks "every entry of the namespace changed". */
  public static final String CLEAR_MARKER = "*";

  /** The key space of the first layout, {@code <prefix>:<name>:k:}, used until a shadow build moves a namespace. */
  public static final String FIRST_SPACE = "";

  private final String name;
  private final String base;
  private final String bookkeepingBase;
  private final String space;
  private final String entryPrefix;

  private Namespace(String base, String bookkeepingBase, String name, String space) {
    this.name = name;
    this.base = base;
    this.bookkeepingBase = bookkeepingBase;
    this.space = space;
    this.entryPrefix = space.isEmpty() ? base + "k:" : base + space + ":k:";
  }

  /** What the bookkeeping keys of every namespace of a deployment start with: {@code <prefix>:{<prefix>}:}. */
  private static String bookkeepingPrefix(String prefix) {
    return prefix + ":{" + prefix + "}:";
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
    if (prefix.isEmpty() || prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException("key prefix '" + prefix + "' must be non-empty and hold no '{' or '}'");
    }
    if (name.isEmpty() || !name.chars().allMatch(c -> isSafe(c) || c == '%')) {
      throw new IllegalArgumentException("namespace '" + name
          + "' holds characters outside [A-Za-z0-9._-%]; derive it with Namespace.escape(cacheName)");
    }
    return new Namespace(prefix + ':' + name + ':', bookkeepingPrefix(prefix) + name + ':', name, FIRST_SPACE);
  }

  /**
   * The same namespace with its entries in another key space; the bookkeeping keys stay where they are.
   *
   * @param space {@link #FIRST_SPACE}, or letters and digits starting with {@code g} (a producer names
   *     spaces {@code g<8 hex digits>}), so a space can never be read as the {@code k} or {@code l} of the layout
   * @throws IllegalArgumentException for any other space name
   */
  public Namespace inSpace(String space) {
    Objects.requireNonNull(space, "space");
    if (!space.isEmpty() && !(space.charAt(0) == 'g' && space.chars().allMatch(c -> (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')))) {
      throw new IllegalArgumentException("key space '" + space + "' of namespace " + name + " is neither empty nor 'g'"
          + " followed by lower-case letters and digits; the meta hash's space field was written by another tool");
    }
    return space.equals(this.space) ? this : new Namespace(base, bookkeepingBase, name, space);
  }

  /** The key space of this layout's entries, {@link #FIRST_SPACE} for the first one. */
  public String space() {
    return space;
  }

  /**
   * The deployment's heartbeat key: CacheManagers write the time to it on the master every second
   * and read it back from replicas to notice one that stopped following its master.
   */
  public static String heartbeatKey(String prefix) {
    return bookkeepingPrefix(prefix) + "hb";
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
    return entryPrefix;
  }

  /**
   * The Redis key of an entry's lease.
   *
   * @param slotTag on Redis Cluster a hash tag of the entry's slot, else {@code null}
   */
  public String leaseKey(String encodedKey, String slotTag) {
    return slotTag == null ? base + "l:" + encodedKey : base + "l:{" + slotTag + "}:" + encodedKey;
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
    return bookkeepingBase + "log";
  }

  /** The version counter key. */
  public String sequenceKey() {
    return bookkeepingBase + "seq";
  }

  /** The meta hash key. */
  public String metaKey() {
    return bookkeepingBase + "meta";
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
    return other instanceof Namespace that && entryPrefix.equals(that.entryPrefix);
  }

  @Override
  public int hashCode() {
    return entryPrefix.hashCode();
  }

  @Override
  public String toString() {
    return base.substring(0, base.length() - 1);
  }
}
