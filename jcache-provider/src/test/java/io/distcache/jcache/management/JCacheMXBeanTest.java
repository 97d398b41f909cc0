package io.distcache.jcache.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

class JCacheMXBeanTest {

  @Test
  void reportsTheConfiguration() {
    MutableConfiguration<BigDecimal, String> configuration = new MutableConfiguration<BigDecimal, String>()
        .setTypes(BigDecimal.class, String.class)
        .setReadThrough(true)
        .setStoreByValue(false)
        .setManagementEnabled(true);
    JCacheMXBean bean = new JCacheMXBean(StubCache.of("c", URI.create("test://mx"), configuration));

    assertThat(bean.getKeyType()).isEqualTo("java.math.BigDecimal");
    assertThat(bean.getValueType()).isEqualTo("java.lang.String");
    assertThat(bean.isReadThrough()).isTrue();
    assertThat(bean.isWriteThrough()).isFalse();
    assertThat(bean.isStoreByValue()).isFalse();
    assertThat(bean.isStatisticsEnabled()).isFalse();
    assertThat(bean.isManagementEnabled()).isTrue();
  }

  @Test
  void followsConfigurationChanges() {
    MutableConfiguration<Object, Object> configuration = new MutableConfiguration<>();
    JCacheMXBean bean = new JCacheMXBean(StubCache.of("c", URI.create("test://mx"), configuration));
    assertThat(bean.getKeyType()).isEqualTo("java.lang.Object");
    assertThat(bean.isStatisticsEnabled()).isFalse();

    configuration.setStatisticsEnabled(true).setWriteThrough(true);

    assertThat(bean.isStatisticsEnabled()).isTrue();
    assertThat(bean.isWriteThrough()).isTrue();
  }
}
