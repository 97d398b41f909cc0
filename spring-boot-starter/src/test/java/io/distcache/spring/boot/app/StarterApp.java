package io.distcache.spring.boot.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/** An application that uses distcache through the starter and application.properties only: no distcache bean. */
@SpringBootApplication
@EnableCaching
public class StarterApp {
}
