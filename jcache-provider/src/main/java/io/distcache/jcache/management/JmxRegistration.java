package io.distcache.jcache.management;

import io.distcache.jcache.configuration.RedisUris;
import java.lang.management.ManagementFactory;
import java.util.regex.Pattern;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the JSR-107 management beans of caches with the platform MBean server.
 *
 * <p>A bean is named {@code javax.cache:type=<CacheConfiguration|CacheStatistics>,}
 * {@code CacheManager=<manager URI>,Cache=<cache name>}: the scheme of the specification, and the
 * name under which the TCK looks beans up in {@link ManagementFactory#getPlatformMBeanServer()}.
 * The URI and the cache name are sanitised as the TCK does: {@code :}, {@code =}, {@code ,} and
 * newlines become {@code .}; spaces stay. So do {@code "}, {@code *} and {@code ?}, which the TCK
 * leaves alone, since they would make the name malformed or a pattern that cannot be registered.
 * Sanitising can map two caches of one manager to the same name; then only the first one
 * registered is visible.
 */
public final class JmxRegistration {

  private static final Logger logger = LoggerFactory.getLogger(JmxRegistration.class);

  /** Characters an unquoted {@link ObjectName} value may not hold, or that would make it a pattern. */
  private static final Pattern UNSAFE = Pattern.compile("[:=,\n\"*?]");

  /** The kinds of bean JSR-107 defines per cache. */
  public enum MBeanType {
    /** The {@link javax.cache.management.CacheMXBean}, e.g. a {@link JCacheMXBean}. */
    CONFIGURATION("CacheConfiguration"),
    /** The {@link javax.cache.management.CacheStatisticsMXBean}, e.g. a {@link JCacheStatistics}. */
    STATISTICS("CacheStatistics");

    private final String objectNameType;

    MBeanType(String objectNameType) {
      this.objectNameType = objectNameType;
    }

    /** The value of the {@code type} key in the bean's {@link ObjectName}. */
    public String objectNameType() {
      return objectNameType;
    }
  }

  private JmxRegistration() {}

  /**
   * Registers a cache's bean of the given type, unless a bean is registered under its name already.
   *
   * @param mbean a compliant MBean or MXBean, e.g. a {@link JCacheMXBean} or {@link JCacheStatistics}
   * @throws CacheException if the MBean server refuses the bean
   */
  public static void register(Cache<?, ?> cache, Object mbean, MBeanType type) {
    ObjectName name = objectName(cache, type);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(mbean, name);
        logger.debug("Registered MBean {}", name);
      }
    } catch (InstanceAlreadyExistsException e) {
      // A concurrent registration of the same name won: registering is idempotent, nothing to do.
    } catch (JMException e) {
      throw new CacheException("Failed to register MBean " + name, e);
    }
  }

  /**
   * Unregisters a cache's bean of the given type, if one is registered.
   *
   * @throws CacheException if the MBean server fails to unregister the bean
   */
  public static void unregister(Cache<?, ?> cache, MBeanType type) {
    ObjectName name = objectName(cache, type);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
        logger.debug("Unregistered MBean {}", name);
      }
    } catch (InstanceNotFoundException e) {
      // A concurrent unregistration won: unregistering is idempotent, nothing to do.
    } catch (JMException e) {
      throw new CacheException("Failed to unregister MBean " + name, e);
    }
  }

  /**
   * The name of a cache's bean of the given type. A password in the CacheManager URI is masked: MBean
   * names are visible to every JMX client and monitoring agent.
   */
  static ObjectName objectName(Cache<?, ?> cache, MBeanType type) {
    String name = "javax.cache:type=" + type.objectNameType()
        + ",CacheManager=" + sanitise(RedisUris.mask(cache.getCacheManager().getURI().toString()))
        + ",Cache=" + sanitise(cache.getName());
    try {
      return new ObjectName(name);
    } catch (MalformedObjectNameException e) {
      // Unreachable once sanitised; kept as a CacheException so a JMX quirk cannot escape unchecked.
      throw new CacheException("Invalid MBean name " + name, e);
    }
  }

  private static String sanitise(String value) {
    return UNSAFE.matcher(value).replaceAll(".");
  }
}
