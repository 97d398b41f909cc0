package io.distcache.jcache.coherence;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** How the follower and its replica-lag checks read Redis's replies to their pipelined commands. */
final class Replies {

  private Replies() {
  }

  /** Whether Redis refused a command for the user's rights or a key's type, which no reconnect changes. */
  static boolean isRefusal(RedisCommandExecutionException e) {
    String message = String.valueOf(e.getMessage());
    return message.startsWith("NOPERM") || message.startsWith("WRONGTYPE");
  }

  /** The reply to a pipelined command, or the error the synchronous call would have thrown. */
  static <T> T awaited(RedisFuture<T> reply, Duration timeout) {
    return LettuceFutures.awaitOrCancel(reply, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }
}
