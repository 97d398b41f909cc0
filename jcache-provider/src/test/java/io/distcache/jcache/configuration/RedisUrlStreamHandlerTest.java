package io.distcache.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Uses the real {@link URL}, which finds the handler through the provider's services file. */
class RedisUrlStreamHandlerTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "redis://u:secret@127.0.0.1:6380",
      "rediss://default:secret@cache.example.com:6390/2?timeout=5s",
      "redis-sentinel://secret@s1:26379,s2:26380/0#mymaster",
      "rediss-sentinel://s1:26379#mymaster",
      "redis://[::1]:6379"})
  void redisUrlsRoundTripThroughToUri(String uri) throws Exception {
    URL url = new URL(uri);

    assertThat(url.toExternalForm()).isEqualTo(uri);
    assertThat(url.toURI()).isEqualTo(URI.create(uri));
  }

  @Test
  void sentinelUrlsKeepTheirParts() throws Exception {
    URL url = new URL("redis-sentinel://u:pw@s1:26379,s2:26380/0?timeout=3s#mymaster");

    assertThat(url.getUserInfo()).isEqualTo("u:pw");
    assertThat(url.getHost()).isEqualTo("s1:26379,s2:26380");
    assertThat(url.getPath()).isEqualTo("/0");
    assertThat(url.getQuery()).isEqualTo("timeout=3s");
    assertThat(url.getRef()).isEqualTo("mymaster");
  }

  @Test
  void openingAConnectionDoesNoNetworkIoAndLooksLikeAnExistingResource() throws Exception {
    try (ServerSocket redis = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      URL url = new URL("redis://u:secret@127.0.0.1:" + redis.getLocalPort());

      URLConnection connection = url.openConnection();
      connection.connect();
      long length = connection.getContentLengthLong();
      String content;
      try (InputStream in = connection.getInputStream()) {
        content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }

      assertThat(length).isPositive().isEqualTo(connection.getContentLength()).isEqualTo(content.length());
      assertThat(content).isEqualTo("redis.uri=redis://u:***@127.0.0.1:" + redis.getLocalPort() + "\n");
      assertThat(connection.getContentType()).startsWith("text/plain");
      redis.setSoTimeout(200);
      assertThatThrownBy(redis::accept).as("nothing connected to the server").isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void equalityComparesTextWithoutResolvingHosts() throws Exception {
    URL first = new URL("redis://a:1@unresolvable.invalid:6379");

    assertThat(first).isEqualTo(new URL("redis://a:1@unresolvable.invalid:6379"))
        .isNotEqualTo(new URL("redis://b:2@unresolvable.invalid:6379"))
        .hasSameHashCodeAs(new URL("redis://a:1@unresolvable.invalid:6379"));
  }

  @Test
  void aUrlConvertedLikeHibernateDoesResolvesToThatRedis() throws Exception {
    URI uri = new URL("redis://u:secret@127.0.0.1:6380").toURI();

    ProviderSettings settings = SettingsLoader.load(uri, TestClassLoaders.withoutDefaultFile(), new Properties(), Map.of(),
        new Properties());

    assertThat(settings.redisUri()).isEqualTo("redis://u:secret@127.0.0.1:6380");
  }

  @Test
  void theProviderOnlyHandlesRedisSchemes() {
    RedisUrlStreamHandlerProvider provider = new RedisUrlStreamHandlerProvider();

    assertThat(provider.createURLStreamHandler("redis")).isInstanceOf(RedisUrlStreamHandler.class);
    assertThat(provider.createURLStreamHandler("redis-sentinel")).isInstanceOf(RedisUrlStreamHandler.class);
    assertThat(provider.createURLStreamHandler("http")).isNull();
    assertThat(provider.createURLStreamHandler("classpath")).isNull();
  }

  @Test
  void anOpenedUrlNeverRevealsThePasswordInItsContent() throws IOException {
    URLConnection connection = new URL("rediss://admin:hunter2@h:6390").openConnection();

    try (InputStream in = connection.getInputStream()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).doesNotContain("hunter2");
    }
  }
}
