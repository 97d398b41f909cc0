package io.distcache.tck;

import io.distcache.testkit.RedisServer;
import java.util.UUID;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a fresh redis-server before the TCK's first test and stops it after the last one, and
 * points the provider's default configuration at it through system properties. The TCK classes
 * come from a jar and cannot be annotated, so the JUnit Platform session is the hook.
 */
public final class TckRedisSession implements LauncherSessionListener {

  private static final Logger LOG = LoggerFactory.getLogger(TckRedisSession.class);

  private RedisServer redis;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    redis = RedisServer.start();
    System.setProperty("distcache.redis.uri", redis.uri());
    // A unique prefix on top of the fresh server: every run starts from empty namespaces.
    System.setProperty("distcache.redis.key-prefix", "tck-" + UUID.randomUUID().toString().substring(0, 8));
    LOG.info("TCK runs against {} ({})", redis.uri(), RedisServer.binary());
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (redis != null) {
      redis.stop();
    }
  }
}
