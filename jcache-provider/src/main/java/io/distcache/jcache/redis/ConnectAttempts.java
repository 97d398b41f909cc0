package io.distcache.jcache.redis;

import java.util.function.Supplier;

/**
 * Opens connections and remembers whether the last one that failed for a known reason failed because Redis refused
 * the credentials, so that a later failure carrying no reason can still be explained.
 */
final class ConnectAttempts {

  private volatile boolean credentialsRefused;

  /** Runs {@code connect}; a success, or a failure where no server answered or TLS failed, clears the refusal. */
  <C> C connect(Supplier<C> connect) {
    try {
      C connection = connect.get();
      credentialsRefused = false;
      return connection;
    } catch (RuntimeException e) {
      if (ConnectFailures.refusedCredentials(e)) {
        credentialsRefused = true;
      } else if (ConnectFailures.foundNoServer(e) || ConnectFailures.failedTls(e)) {
        credentialsRefused = false;
      }
      throw e;
    }
  }

  boolean credentialsRefused() {
    return credentialsRefused;
  }
}
