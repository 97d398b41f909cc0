package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.distcache.testkit.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Without Redis a cache operation fails fast with a CacheException that says where, never the password. */
class UnreachableRedisTest {

  private static final String PASSWORD = "secretpw";
  private static final Duration HANG_GUARD = Duration.ofSeconds(5);

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;

  @BeforeEach
  void captureLogs() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void stopCapturing() {
    root.detachAppender(logs);
  }

  @Test
  void getFailsWithinTheTimeoutsNamingTheServerButNotThePassword() {
    int port = unusedPort();
    try (Nodes nodes = new Nodes("redis://user:" + PASSWORD + "@127.0.0.1:" + port, "it-unreachable")) {
      Cache<String, String> cache = nodes.node("defaults.command-timeout", "500ms")
          .createCache("offline", new MutableConfiguration<String, String>().setTypes(String.class, String.class));

      long began = System.nanoTime();
      Throwable failure = catchThrowable(() -> cache.get("key"));
      Duration took = Duration.ofNanos(System.nanoTime() - began);

      System.out.printf("get against a closed port failed after %d ms: %s%n", took.toMillis(), failure);
      assertThat(took).as("a hang guard, not a speed test").isLessThan(HANG_GUARD);
      assertThat(failure).isInstanceOf(CacheException.class).hasMessageContaining("127.0.0.1:" + port);
      assertThat(messagesOf(failure)).noneMatch(message -> message.contains(PASSWORD));
      assertThat(failure.toString()).doesNotContain(PASSWORD);

      Throwable writeFailure = catchThrowable(() -> cache.put("key", "value"));
      assertThat(writeFailure).isInstanceOf(CacheException.class).hasMessageContaining("127.0.0.1:" + port);
      assertThat(messagesOf(writeFailure)).noneMatch(message -> message.contains(PASSWORD));
    }
    assertThat(logs.list).isNotEmpty();
    assertThat(List.copyOf(logs.list)).allSatisfy(event -> {
      assertThat(event.getFormattedMessage()).doesNotContain(PASSWORD);
      assertThat(event.getThreadName()).doesNotContain(PASSWORD);
      for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
        assertThat(String.valueOf(thrown.getMessage())).doesNotContain(PASSWORD);
      }
    });
  }

  @Test
  void passwordNeverShowsInThreadNamesOrManagerMessages() {
    int port = unusedPort();
    try (Nodes nodes = new Nodes("redis://user:" + PASSWORD + "@127.0.0.1:" + port, "it-unreachable")) {
      CacheManager manager = nodes.node("defaults.command-timeout", "500ms");
      MutableConfiguration<String, String> configuration =
          new MutableConfiguration<String, String>().setTypes(String.class, String.class);
      manager.createCache("offline", configuration);

      assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
          .noneMatch(name -> name.contains(PASSWORD));
      assertThat(manager.toString()).doesNotContain(PASSWORD);
      Throwable duplicate = catchThrowable(() -> manager.createCache("offline", configuration));
      assertThat(duplicate).isInstanceOf(CacheException.class);
      assertThat(messagesOf(duplicate)).noneMatch(message -> message.contains(PASSWORD));
      Throwable unwrap = catchThrowable(() -> manager.unwrap(String.class));
      assertThat(unwrap).isInstanceOf(IllegalArgumentException.class);
      assertThat(messagesOf(unwrap)).noneMatch(message -> message.contains(PASSWORD));

      manager.close();
      Throwable closed = catchThrowable(() -> manager.getCache("offline"));
      assertThat(closed).isInstanceOf(IllegalStateException.class);
      assertThat(messagesOf(closed)).noneMatch(message -> message.contains(PASSWORD));
    }
  }

  @Test
  void getOnAFrozenRedisFailsWithinTheCommandTimeout() {
    try (RedisServer redis = RedisServer.start();
        Nodes nodes = new Nodes(redis.uri(), "it-frozen")) {
      Cache<String, String> cache = nodes.node("defaults.command-timeout", "500ms")
          .createCache("frozen", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.put("warm", "connections are open");
      assertThat(cache.get("absent")).as("opens the read connection too").isNull();
      redis.pause();
      try {
        long began = System.nanoTime();
        Throwable failure = catchThrowable(() -> cache.get("cold"));
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        System.out.printf("get against a frozen Redis failed after %d ms: %s%n", took.toMillis(), failure);
        assertThat(took).as("a hang guard, not a speed test").isLessThan(HANG_GUARD);
        assertThat(failure).isInstanceOf(CacheException.class).hasMessageContaining("127.0.0.1:" + redis.port());
      } finally {
        redis.resume();
      }
      // Recovered means Redis answers again, not that the near copy of "warm" is still served: a write
      // must land in Redis and a key never cached must be read from it.
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
        cache.put("after", "resumed");
        assertThat(cache.get("cold")).isNull();
      });
      assertThat(redis.command("KEYS", "*after*")).as("the write after SIGCONT, in Redis itself").isNotEmpty();
    }
  }

  @Test
  void containsKeyAnswersFromANearCopyOnlyWithinStaleOnFailure() {
    try (RedisServer redis = RedisServer.start();
        Nodes nodes = new Nodes(redis.uri(), "it-stale-contains")) {
      Cache<String, String> cache = nodes.node("defaults.command-timeout", "300ms", "outage.failure-threshold", "1",
              "outage.stale-on-failure", "5s")
          .createCache("outage", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.put("k", "v");
      assertThat(cache.get("k")).isEqualTo("v");
      redis.pause();
      try {
        assertThat(catchThrowable(() -> cache.get("cold"))).as("opens the breaker").isInstanceOf(CacheException.class);
        assertThat(cache.containsKey("k")).as("within stale-on-failure, the near copy answers").isTrue();

        await().atMost(Duration.ofSeconds(15)).until(() -> catchThrowable(() -> cache.get("k")) != null);
        assertThat(catchThrowable(() -> cache.containsKey("k"))).as("past stale-on-failure, as get does")
            .isInstanceOf(CacheException.class);
      } finally {
        redis.resume();
      }
    }
  }

  /** Every message and description along the cause chain, suppressed exceptions included. */
  private static List<String> messagesOf(Throwable failure) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t));
      for (Throwable suppressed : t.getSuppressed()) {
        messages.addAll(messagesOf(suppressed));
      }
    }
    return messages;
  }

  /** A loopback port nothing listens on: the kernel's choice, released at once. */
  private static int unusedPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
