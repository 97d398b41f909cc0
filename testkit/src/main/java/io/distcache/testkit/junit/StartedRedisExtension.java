package io.distcache.testkit.junit;

import io.distcache.testkit.RedisServer;
import java.lang.reflect.Field;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;

/** Starts and stops the servers of {@link StartedRedis} fields; registered by the annotation. */
public final class StartedRedisExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    for (Field field : fields(context.getRequiredTestClass(), ModifierSupport::isStatic)) {
      field.set(null, RedisServer.start());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IllegalAccessException {
    for (Field field : fields(context.getRequiredTestClass(), ModifierSupport::isStatic)) {
      stop(field, null);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IllegalAccessException {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Field field : fields(instance.getClass(), ModifierSupport::isNotStatic)) {
        field.set(instance, RedisServer.start());
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws IllegalAccessException {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Field field : fields(instance.getClass(), ModifierSupport::isNotStatic)) {
        stop(field, instance);
      }
    }
  }

  private static void stop(Field field, Object instance) throws IllegalAccessException {
    RedisServer server = (RedisServer) field.get(instance);
    if (server != null) {
      server.stop();
      field.set(instance, null);
    }
  }

  private static List<Field> fields(Class<?> testClass, Predicate<Field> scope) {
    List<Field> fields = AnnotationSupport.findAnnotatedFields(testClass, StartedRedis.class, scope);
    for (Field field : fields) {
      if (field.getType() != RedisServer.class || ModifierSupport.isFinal(field)) {
        throw new ExtensionConfigurationException("@StartedRedis marks a non-final RedisServer field, not "
            + field.getDeclaringClass().getSimpleName() + "." + field.getName());
      }
      field.setAccessible(true);
    }
    return fields;
  }
}
