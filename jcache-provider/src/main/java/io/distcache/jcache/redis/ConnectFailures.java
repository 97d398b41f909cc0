package io.distcache.jcache.redis;

import java.util.function.Predicate;

/**
 * What a failure to reach Redis says about its reason, from the exception chain: credentials and certificates are
 * not outages, and the advice a message gives must say so.
 */
final class ConnectFailures {

  private ConnectFailures() {
  }

  /** Whether Redis refused the credentials: {@code WRONGPASS}, {@code NOAUTH} or an invalid password. */
  static boolean refusedCredentials(Throwable failure) {
    return anyCause(failure, cause -> {
      String message = String.valueOf(cause.getMessage());
      return message.contains("WRONGPASS") || message.contains("NOAUTH") || message.contains("invalid password");
    });
  }

  /** Whether the TLS handshake failed: an untrusted or mismatched server certificate. */
  static boolean failedTls(Throwable failure) {
    return anyCause(failure, cause -> cause instanceof javax.net.ssl.SSLException
        || cause instanceof java.security.cert.CertificateException
        || cause instanceof java.security.cert.CertPathBuilderException);
  }

  /** Whether nothing answered at all: the connection was refused, or the connect timed out. */
  static boolean foundNoServer(Throwable failure) {
    return anyCause(failure, cause -> cause instanceof java.net.ConnectException
        || cause instanceof io.netty.channel.ConnectTimeoutException);
  }

  /** Lettuce attaches the reason a connection failed as a cause or as a suppressed exception. */
  private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
    if (failure == null) {
      return false;
    }
    if (test.test(failure) || anyCause(failure.getCause() == failure ? null : failure.getCause(), test)) {
      return true;
    }
    for (Throwable suppressed : failure.getSuppressed()) {
      if (anyCause(suppressed, test)) {
        return true;
      }
    }
    return false;
  }
}
