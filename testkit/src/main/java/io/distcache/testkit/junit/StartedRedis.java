package io.distcache.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a {@link io.distcache.testkit.RedisServer} field the test needs running, on a free port of its own: a static
 * field is started before the class's {@code @BeforeAll} methods and stopped after its {@code @AfterAll} methods; an
 * instance field is started before each test's {@code @BeforeEach} methods and stopped after its {@code @AfterEach}
 * methods. The field must not be final.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(StartedRedisExtension.class)
public @interface StartedRedis {
}
