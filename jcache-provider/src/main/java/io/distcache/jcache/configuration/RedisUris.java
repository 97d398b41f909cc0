package io.distcache.jcache.configuration;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Recognising, validating and masking Redis URIs; the one place that knows their secrets' layout. */
public final class RedisUris {

  /** Schemes that name a Redis deployment when used as a CacheManager URI or a {@code java.net.URL}. */
  static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");

  /** Replaces a password in displayed text. */
  static final String MASK = "***";

  private static final String EXPECTED = "expected a Redis URI such as redis://[user:password@]host[:port][/database],"
      + " rediss://... for TLS or redis-sentinel://[password@]host1:26379,host2:26379[/database]#masterId";

  private RedisUris() {
  }

  /** Whether a URI scheme (any case, may be {@code null}) names a Redis deployment. */
  static boolean isRedisScheme(String scheme) {
    return scheme != null && SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
  }

  /**
   * Masks the user-info password of every URI in a text: {@code redis://u:pw@h} becomes
   * {@code redis://u:***@h} and {@code redis://pw@h} (Lettuce reads a lone user-info as the
   * password) becomes {@code redis://***@h}.
   *
   * <p>It works on text rather than on a parsed URI because it must also mask values that do not
   * parse (they end up in error messages) and comma-separated lists of URIs. When unsure it masks
   * too much: everything up to the last {@code @} before the next {@code ://} is user info.
   */
  public static String mask(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    if (!text.contains("://")) {
      return MASK + text.substring(text.lastIndexOf('@'));
    }
    StringBuilder masked = new StringBuilder(text.length());
    int from = 0;
    int schemeEnd = text.indexOf("://");
    while (schemeEnd >= 0) {
      int userInfoStart = schemeEnd + 3;
      int nextSchemeEnd = text.indexOf("://", userInfoStart);
      int limit = nextSchemeEnd < 0 ? text.length() : nextSchemeEnd;
      int at = text.lastIndexOf('@', limit - 1);
      masked.append(text, from, userInfoStart);
      from = userInfoStart;
      if (at >= userInfoStart) {
        int colon = text.indexOf(':', userInfoStart);
        int keptEnd = colon >= 0 && colon < at ? colon + 1 : userInfoStart;
        masked.append(text, userInfoStart, keptEnd).append(MASK);
        from = at;
      }
      schemeEnd = nextSchemeEnd;
    }
    return masked.append(text, from, text.length()).toString();
  }

  /**
   * Checks that Lettuce can connect with this URI.
   *
   * @throws IllegalArgumentException with a message free of the URI's password
   */
  static void validate(String uri) {
    String problem = problem(uri);
    if (problem != null) {
      throw new IllegalArgumentException(EXPECTED + " (" + problem + ")");
    }
  }

  /** Like {@link #validate(String)}, and the URI must address one node (no Sentinel, no socket). */
  static void validateNode(String uri) {
    validate(uri);
    String scheme = URI.create(uri).getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException("expected a redis:// or rediss:// URI of one replica node");
    }
  }

  /**
   * The node URIs of a cluster URI listing several seed nodes ({@code redis://pw@h1:7000,h2:7001/0}):
   * one URI per host, each with the list's scheme, credentials, database and query. A URI of one
   * node yields itself.
   */
  static List<String> clusterSeeds(String uri) {
    int authorityStart = uri.indexOf("://");
    if (authorityStart < 0) {
      return List.of(uri);
    }
    authorityStart += 3;
    int authorityEnd = uri.length();
    for (char end : new char[] {'/', '?', '#'}) {
      int at = uri.indexOf(end, authorityStart);
      if (at >= 0) {
        authorityEnd = Math.min(authorityEnd, at);
      }
    }
    String authority = uri.substring(authorityStart, authorityEnd);
    int credentialsEnd = authority.lastIndexOf('@') + 1;
    String head = uri.substring(0, authorityStart) + authority.substring(0, credentialsEnd);
    String tail = uri.substring(authorityEnd);
    return Arrays.stream(authority.substring(credentialsEnd).split(","))
        .map(String::strip)
        .map(host -> head + host + tail)
        .toList();
  }

  /** Whether a valid URI asks for TLS ({@code rediss://}, {@code rediss-sentinel://}, {@code redis+ssl://}...). */
  static boolean usesTls(String uri) {
    return RedisURI.create(uri).isSsl();
  }

  /** What is wrong with a URI, masked, or {@code null} if nothing. */
  private static String problem(String uri) {
    RedisURI parsed;
    try {
      parsed = RedisURI.create(uri);
    } catch (RuntimeException e) {
      // Parser messages quote the input; mask it so the password cannot reach logs through us.
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return mask(reason.replace(uri, mask(uri)));
    }
    boolean addressesOneHost = parsed.getSentinels().isEmpty() && parsed.getSocket() == null;
    if (addressesOneHost && !hasServerAuthority(uri)) {
      // Lettuce accepts "redis://h:abc" and treats "h:abc" as a host name; reject it here instead
      // of failing later with an unresolvable host.
      return "host or port is invalid";
    }
    return null;
  }

  private static boolean hasServerAuthority(String uri) {
    try {
      return new URI(uri).parseServerAuthority().getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
