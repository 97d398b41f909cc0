package io.distcache.jcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The reasons read from Lettuce's connect failures, wherever in the chain Lettuce put them. */
class ConnectFailuresTest {

  @Test
  void aRefusedPasswordIsFoundAsCauseOrSuppressed() {
    RedisCommandExecutionException wrongPass = new RedisCommandExecutionException(
        "WRONGPASS invalid username-password pair or user is disabled.");
    assertThat(ConnectFailures.refusedCredentials(new RedisConnectionException("Unable to connect", wrongPass)))
        .isTrue();
    RedisConnectionException suppressing = new RedisConnectionException("Unable to connect");
    suppressing.addSuppressed(new RuntimeException(new RedisCommandExecutionException("NOAUTH Authentication required.")));
    assertThat(ConnectFailures.refusedCredentials(suppressing)).isTrue();
  }

  @Test
  void aBareFailureSaysNothing() {
    RedisConnectionException bare = new RedisConnectionException("Unable to connect to 127.0.0.1:6379");
    assertThat(ConnectFailures.refusedCredentials(bare)).isFalse();
    assertThat(ConnectFailures.failedTls(bare)).isFalse();
    assertThat(ConnectFailures.foundNoServer(bare)).isFalse();
  }

  @Test
  void noServerAndTlsAreTold() {
    assertThat(ConnectFailures.foundNoServer(new RedisConnectionException("Unable to connect",
        new ConnectException("Connection refused")))).isTrue();
    assertThat(ConnectFailures.failedTls(new RedisConnectionException("Unable to connect",
        new SSLHandshakeException("PKIX path building failed")))).isTrue();
  }
}
