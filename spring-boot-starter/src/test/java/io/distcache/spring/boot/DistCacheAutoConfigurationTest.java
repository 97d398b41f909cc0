package io.distcache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.DistCache;
import io.distcache.jcache.DistCacheManager;
import io.distcache.jcache.configuration.CacheSettings;
import io.distcache.spring.boot.app.StarterApp;
import io.distcache.spring.boot.app.TitleService;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter on a real redis-server: {@link StarterApp} declares no distcache bean; application.properties and a
 * {@code distcache.redis.uri} are its whole setup. The actuator endpoints are read through their beans (what
 * {@code /actuator/health} and {@code /actuator/metrics} serve, without a web server).
 */
class DistCacheAutoConfigurationTest {

  @StartedRedis
  private static RedisServer redis;
  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

  @AfterEach
  void closeContexts() {
    contexts.forEach(ConfigurableApplicationContext::close);
  }

  /** An edge: the test application with its own CacheManager on {@code server}. */
  private ConfigurableApplicationContext start(RedisServer server, String edge, String... arguments) {
    List<String> args = new ArrayList<>(List.of("--distcache.redis.uri=" + server.uri(),
        "--spring.cache.jcache.config=classpath:edge-" + edge + ".properties"));
    args.addAll(List.of(arguments));
    ConfigurableApplicationContext context = new SpringApplicationBuilder(StarterApp.class)
        .web(WebApplicationType.NONE).run(args.toArray(String[]::new));
    contexts.add(context);
    return context;
  }

  @Test
  void cachingWorksAcrossTwoApplicationContexts() {
    ConfigurableApplicationContext a = start(redis, "a");
    ConfigurableApplicationContext b = start(redis, "b");
    assertThat(a.getBean(javax.cache.CacheManager.class)).isInstanceOf(DistCacheManager.class)
        .isNotSameAs(b.getBean(javax.cache.CacheManager.class));
    TitleService titlesA = a.getBean(TitleService.class);
    TitleService titlesB = b.getBean(TitleService.class);

    assertThat(titlesA.title(1)).isEqualTo("title-1");
    assertThat(titlesB.title(1)).isEqualTo("title-1");
    assertThat(titlesB.lookups()).as("b found a's value in Redis").isZero();

    titlesA.rename(1, "renamed");
    await().atMost(Duration.ofSeconds(5)).until(() -> "renamed".equals(titlesB.title(1)));
    assertThat(titlesB.lookups()).isZero();
  }

  @Test
  void applicationPropertiesReachTheCacheManager() {
    ConfigurableApplicationContext context = start(redis, "a");
    DistCacheManager manager = context.getBean(javax.cache.CacheManager.class).unwrap(DistCacheManager.class);
    assertThat(manager.settings().keyPrefix()).isEqualTo("starter-it");
    CacheSettings titles = manager.getCache("titles").unwrap(DistCache.class).settings();
    assertThat(titles.nearMaxItems()).as("distcache.defaults.*").isEqualTo(1000);
    assertThat(titles.nearMaxTtl()).as("distcache.cache[titles].*").isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void anUnknownDistcacheKeyFailsTheStartNamingIt() {
    assertThatThrownBy(() -> start(redis, "a", "--distcache.defaults.near.max-itemz=5"))
        .hasStackTraceContaining("defaults.near.max-itemz");
  }

  @Test
  void healthGoesDownWhileRedisIsKilledAndUpWhenItIsBack() {
    RedisServer own = RedisServer.start();
    try {
      HealthEndpoint health = start(own, "a").getBean(HealthEndpoint.class);
      assertThat(distcache(health).getStatus()).isEqualTo(Status.UP);
      assertThat(distcache(health).getDetails()).containsEntry("breaker", "closed")
          .containsEntry("changeLogFollower", "running");

      own.kill();
      await().atMost(Duration.ofSeconds(10)).until(() -> Status.DOWN.equals(distcache(health).getStatus()));
      assertThat(distcache(health).getDetails()).containsEntry("redis", "unreachable");

      own.restart();
      await().atMost(Duration.ofSeconds(10)).until(() -> Status.UP.equals(distcache(health).getStatus()));
    } finally {
      own.stop();
    }
  }

  @Test
  void cacheGetsHaveHitAndMissCounts() {
    ConfigurableApplicationContext context = start(redis, "a");
    TitleService titles = context.getBean(TitleService.class);
    titles.title(100);
    titles.title(100);
    titles.title(100);
    MetricsEndpoint metrics = context.getBean(MetricsEndpoint.class);

    assertThat(count(metrics, "cache.gets", "cache:titles", "result:miss")).isEqualTo(1);
    assertThat(count(metrics, "cache.gets", "cache:titles", "result:hit")).isEqualTo(2);
    assertThat(count(metrics, "cache.puts", "cache:titles")).isEqualTo(1);
    assertThat(count(metrics, "distcache.near.gets", "cache:titles", "result:hit")).isEqualTo(2);
  }

  private static IndicatedHealthDescriptor distcache(HealthEndpoint health) {
    return (IndicatedHealthDescriptor) health.healthForPath("distcache");
  }

  private static double count(MetricsEndpoint metrics, String name, String... tags) {
    MetricsEndpoint.MetricDescriptor metric = metrics.metric(name, List.of(tags));
    assertThat(metric).as("%s %s", name, List.of(tags)).isNotNull();
    return metric.getMeasurements().get(0).getValue();
  }
}
