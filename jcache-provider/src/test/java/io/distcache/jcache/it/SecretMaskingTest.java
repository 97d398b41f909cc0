package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.metrics.DistCacheMetrics;
import io.distcache.testkit.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A password in the CacheManager URI, with statistics, management and client tracking on, appears in
 * no MBean name, metric name or tag, thread name, log line or exception message.
 */
class SecretMaskingTest {

  private static final String SECRET = "s3cret-in-the-uri";

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;
  private RedisServer redis;

  @BeforeEach
  void start() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    redis = RedisServer.builder().extraArgs("--requirepass", SECRET).start();
  }

  @AfterEach
  void stop() {
    root.detachAppender(logs);
    redis.stop();
  }

  @Test
  void thePasswordShowsNowhere() throws Exception {
    String uri = "redis://default:" + SECRET + "@127.0.0.1:" + redis.port();
    try (Nodes nodes = new Nodes(uri, "secret")) {
      CacheManager manager = nodes.node("tracking.namespaces", "watched", "defaults.command-timeout", "500ms");
      Cache<String, String> cache = manager.createCache("watched", new DistCacheConfiguration<String, String>()
          .setNamespace("watched").setTypes(String.class, String.class)
          .setStatisticsEnabled(true).setManagementEnabled(true));
      cache.put("k", "v");
      assertThat(cache.get("k")).isEqualTo("v");

      assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("javax.cache:*"), null))
          .as("MBeans of the cache").isNotEmpty()
          .extracting(ObjectName::toString).noneMatch(name -> name.contains(SECRET));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      DistCacheMetrics.monitor(registry, cache, "app", "shop");
      assertThat(registry.getMeters()).as("meters of the cache").isNotEmpty()
          .extracting(meter -> meter.getId().toString()).noneMatch(id -> id.contains(SECRET));
      assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
          .as("the follower and tracking threads exist").anyMatch(name -> name.startsWith("distcache-tracking"))
          .noneMatch(name -> name.contains(SECRET));

      redis.stop();
      Throwable failure = catchThrowable(() -> cache.get("not near"));
      assertThat(failure).isInstanceOf(CacheException.class);
      assertThat(messagesOf(failure)).noneMatch(message -> message.contains(SECRET));
      assertThat(cache.toString()).doesNotContain(SECRET);
      assertThat(manager.toString()).doesNotContain(SECRET);
    }
    assertThat(logs.list).as("log lines").isNotEmpty().allSatisfy(event -> {
      assertThat(event.getFormattedMessage()).doesNotContain(SECRET);
      for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
        assertThat(String.valueOf(cause.getMessage())).doesNotContain(SECRET);
      }
    });
  }

  private static List<String> messagesOf(Throwable failure) {
    List<String> messages = new ArrayList<>();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      messages.add(String.valueOf(cause.getMessage()));
      for (Throwable suppressed : cause.getSuppressed()) {
        messages.add(String.valueOf(suppressed.getMessage()));
      }
    }
    return messages;
  }
}
