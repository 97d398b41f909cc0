package io.distcache.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tracks every server whose process or directory still exists and destroys them when the JVM
 * exits, so an aborted test run leaves no redis-server processes or temp directories behind.
 * (A JVM killed with SIGKILL runs no hooks; its servers must be killed by hand.)
 */
final class Reaper {

  private static final Set<Discardable> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Reaper::reapAll, "distcache-redis-reaper"));
  }

  private Reaper() {
  }

  static void register(Discardable process) {
    LIVE.add(process);
  }

  static void unregister(Discardable process) {
    LIVE.remove(process);
  }

  private static void reapAll() {
    LIVE.forEach(Discardable::discard);
  }

  /** A process with a working directory that can be destroyed at once, without waiting for it. */
  interface Discardable {

    /** Kills the process and deletes its directory. */
    void discard();
  }
}
