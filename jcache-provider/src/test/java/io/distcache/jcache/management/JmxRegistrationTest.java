package io.distcache.jcache.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.jcache.management.JmxRegistration.MBeanType;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JmxRegistrationTest {

  private static final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  /** A manager of its own per test, so that beans other tests register do not count. */
  private final String managerId = UUID.randomUUID().toString();
  private final URI managerUri = URI.create("distcache://localhost:6379/" + managerId);
  private final MutableConfiguration<Long, String> configuration =
      new MutableConfiguration<Long, String>().setTypes(Long.class, String.class).setStatisticsEnabled(true);
  private final Cache<Long, String> cache =
      StubCache.of("my cache, with: odd=chars\nand*wild?\"quotes\"", managerUri, configuration);

  @AfterEach
  void unregisterAll() {
    for (MBeanType type : MBeanType.values()) {
      JmxRegistration.unregister(cache, type);
    }
  }

  @Test
  void namesBeansAsTheTckLooksThemUp() throws Exception {
    JmxRegistration.register(cache, new JCacheMXBean(cache), MBeanType.CONFIGURATION);
    JmxRegistration.register(cache, new JCacheStatistics(), MBeanType.STATISTICS);

    String manager = "distcache.//localhost.6379/" + managerId;
    String cacheName = "my cache. with. odd.chars.and.wild..quotes.";
    ObjectName configurationName =
        new ObjectName("javax.cache:type=CacheConfiguration,CacheManager=" + manager + ",Cache=" + cacheName);
    ObjectName statisticsName =
        new ObjectName("javax.cache:type=CacheStatistics,CacheManager=" + manager + ",Cache=" + cacheName);
    assertThat(server.queryNames(new ObjectName("javax.cache:CacheManager=" + manager + ",*"), null))
        .containsExactlyInAnyOrder(configurationName, statisticsName);
    assertThat(server.getAttribute(configurationName, "KeyType")).isEqualTo("java.lang.Long");
    assertThat(server.getAttribute(configurationName, "StatisticsEnabled")).isEqualTo(true);
    assertThat(server.getAttribute(statisticsName, "CacheHits")).isEqualTo(0L);
    assertThat(server.getAttribute(statisticsName, "AverageGetTime")).isEqualTo(0f);
  }

  @Test
  void exposesStatisticsAndTheirClearOperation() throws Exception {
    JCacheStatistics statistics = new JCacheStatistics();
    statistics.setEnabled(true);
    statistics.recordHits(3);
    statistics.recordMisses(1);
    JmxRegistration.register(cache, statistics, MBeanType.STATISTICS);
    ObjectName name = JmxRegistration.objectName(cache, MBeanType.STATISTICS);

    assertThat(server.getAttribute(name, "CacheGets")).isEqualTo(4L);
    assertThat(server.getAttribute(name, "CacheHitPercentage")).isEqualTo(75f);

    server.invoke(name, "clear", null, null);

    assertThat(server.getAttribute(name, "CacheGets")).isEqualTo(0L);
  }

  @Test
  void registeringAndUnregisteringAreIdempotent() throws Exception {
    JCacheStatistics first = new JCacheStatistics();
    first.setEnabled(true);
    first.recordPuts(1);
    JmxRegistration.register(cache, first, MBeanType.STATISTICS);
    JmxRegistration.register(cache, new JCacheStatistics(), MBeanType.STATISTICS);
    ObjectName name = JmxRegistration.objectName(cache, MBeanType.STATISTICS);

    assertThat(server.getAttribute(name, "CachePuts")).isEqualTo(1L);

    JmxRegistration.unregister(cache, MBeanType.STATISTICS);
    assertThat(server.isRegistered(name)).isFalse();
    assertThatCode(() -> JmxRegistration.unregister(cache, MBeanType.STATISTICS)).doesNotThrowAnyException();
  }

  @Test
  void keepsTheBeansOfCachesAndTypesApart() {
    Cache<Long, String> other = StubCache.of("other", managerUri, configuration);
    try {
      JmxRegistration.register(cache, new JCacheStatistics(), MBeanType.STATISTICS);
      JmxRegistration.register(other, new JCacheStatistics(), MBeanType.STATISTICS);

      assertThat(server.isRegistered(JmxRegistration.objectName(other, MBeanType.STATISTICS))).isTrue();
      assertThat(server.isRegistered(JmxRegistration.objectName(cache, MBeanType.CONFIGURATION))).isFalse();

      JmxRegistration.unregister(cache, MBeanType.STATISTICS);
      assertThat(server.isRegistered(JmxRegistration.objectName(other, MBeanType.STATISTICS))).isTrue();
    } finally {
      JmxRegistration.unregister(other, MBeanType.STATISTICS);
    }
  }

  @Test
  void wrapsAnMBeanServerRefusalInACacheException() {
    assertThatThrownBy(() -> JmxRegistration.register(cache, new Object(), MBeanType.STATISTICS))
        .isInstanceOf(CacheException.class);
  }
}
