package io.distcache.jcache.configuration;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;

/**
 * The {@code java.net.URL} handler of Redis URLs. It never touches the network: the URL only carries
 * a Redis URI to a CacheManager, which connects later with its own client.
 */
final class RedisUrlStreamHandler extends URLStreamHandler {

  /**
   * Parses Sentinel URLs whose authority lists several hosts ({@code redis-sentinel://pw@h1:26379,h2:26379#m}),
   * which the default parser rejects as a bad port; single-host URLs are parsed the standard way.
   */
  @Override
  protected void parseURL(URL url, String spec, int start, int limit) {
    String rest = spec.substring(start, limit);
    int authorityEnd = authorityEnd(rest);
    if (!rest.startsWith("//") || rest.lastIndexOf(',', authorityEnd) < 0) {
      super.parseURL(url, spec, start, limit);
      return;
    }
    String authority = rest.substring(2, authorityEnd);
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? null : authority.substring(0, at);
    String hosts = authority.substring(at + 1);
    int queryStart = rest.indexOf('?', authorityEnd);
    String path = queryStart < 0 ? rest.substring(authorityEnd) : rest.substring(authorityEnd, queryStart);
    String query = queryStart < 0 ? null : rest.substring(queryStart + 1);
    setURL(url, url.getProtocol(), hosts, -1, authority, userInfo, path, query, url.getRef());
  }

  private static int authorityEnd(String rest) {
    for (int i = 2; i < rest.length(); i++) {
      if (rest.charAt(i) == '/' || rest.charAt(i) == '?') {
        return i;
      }
    }
    return rest.length();
  }

  /** A connection that serves a one-line description of the URI, password masked, without any I/O. */
  @Override
  protected URLConnection openConnection(URL url) {
    return new DescriptionConnection(url);
  }

  /**
   * Compares the text of the URLs. The default compares resolved host addresses, a DNS lookup
   * on every {@code equals} or {@code hashCode}, and ignores the user info that selects the Redis user.
   */
  @Override
  protected boolean equals(URL first, URL second) {
    return first.toExternalForm().equals(second.toExternalForm());
  }

  @Override
  protected int hashCode(URL url) {
    return url.toExternalForm().hashCode();
  }

  /**
   * Describes the Redis URI so that existence checks succeed: Spring's {@code UrlResource.exists()}
   * needs a positive content length or a readable stream.
   */
  private static final class DescriptionConnection extends URLConnection {

    private final byte[] content;

    DescriptionConnection(URL url) {
      super(url);
      content = ("redis.uri=" + RedisUris.mask(url.toExternalForm()) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Does nothing: the CacheManager opens the Redis connection, not the URL. */
    @Override
    public void connect() {
      connected = true;
    }

    @Override
    public long getContentLengthLong() {
      return content.length;
    }

    @Override
    public String getContentType() {
      return "text/plain; charset=UTF-8";
    }

    @Override
    public InputStream getInputStream() {
      connect();
      return new ByteArrayInputStream(content);
    }
  }
}
