package io.distcache.jcache.it;

import io.distcache.testkit.RedisServer;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Filters a server's command statistics down to the commands that read or write cache data. */
final class RedisCommands {

  /**
   * Commands a cache operation sends for data. The change-log follower's {@code xread} and a
   * connection's handshake ({@code hello}, {@code info}, {@code client}, ...) are left out on purpose:
   * they run on their own schedule, not because of the operation under test. The replica heartbeat's
   * {@code set}/{@code get} cannot be told apart by name: assert on those with
   * {@link EntryCommandMonitor}, and use these counts for commands the heartbeat never sends.
   */
  static final Set<String> DATA = Set.of("get", "mget", "set", "del", "unlink", "eval", "evalsha", "scan",
      "pexpire", "persist", "pttl", "xadd", "incr");

  private RedisCommands() {
  }

  /** The data commands {@code redis} counted since its last {@code resetStats()}, by name. */
  static Map<String, Long> dataCalls(RedisServer redis) {
    Map<String, Long> calls = new TreeMap<>(redis.commandCalls());
    calls.keySet().retainAll(DATA);
    return calls;
  }
}
