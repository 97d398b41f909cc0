package io.distcache.it.spring.jpa;

import java.util.Map;
import javax.cache.CacheManager;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application whose Hibernate second-level cache lives in the JCache CacheManager Boot created for
 * Spring's caches: Boot does not hand that manager to Hibernate by itself, the customizer does.
 */
@SpringBootApplication
@EnableCaching
public class JpaApp {

  @Bean
  HibernatePropertiesCustomizer sharedJCacheManager(CacheManager cacheManager) {
    return (Map<String, Object> properties) -> properties.put("hibernate.javax.cache.cache_manager", cacheManager);
  }
}
