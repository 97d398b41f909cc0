package io.distcache.jcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.jcache.configuration.OutageSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final CircuitBreaker breaker = new CircuitBreaker(
      new OutageSettings(Duration.ofSeconds(30), Duration.ofSeconds(1), 2, Duration.ofSeconds(2)),
      "127.0.0.1:7000", now::get);

  @Test
  void opensAfterConsecutiveFailuresOnly() {
    breaker.onFailure(new IOException("refused"));
    breaker.onSuccess();
    breaker.onFailure(new IOException("refused"));
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);

    breaker.onFailure(new IOException("refused"));
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void openBreakerFailsFastWithAddressAndAdvice() {
    open();
    assertThatThrownBy(() -> breaker.beforeCall("users", "dc:users"))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("'users'")
        .hasMessageContaining("127.0.0.1:7000")
        .hasMessageContaining("failing fast");
  }

  @Test
  void letsOneProbeThroughAfterTheRetryIntervalAndClosesOnSuccess() {
    open();
    now.addAndGet(1_000);
    breaker.beforeCall("users", "dc:users");
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThatThrownBy(() -> breaker.beforeCall("users", "dc:users")).isInstanceOf(RedisUnavailableException.class);

    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    breaker.beforeCall("users", "dc:users");
  }

  @Test
  void failedProbeReopensForAnotherInterval() {
    open();
    now.addAndGet(1_000);
    breaker.beforeCall("users", "dc:users");
    breaker.onFailure(new IOException("still down"));
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThatThrownBy(() -> breaker.beforeCall("users", "dc:users")).isInstanceOf(RedisUnavailableException.class);
    now.addAndGet(1_000);
    breaker.beforeCall("users", "dc:users");
  }

  @Test
  void staleHitsAreServedOnlyWithinStaleOnFailure() {
    assertThat(breaker.allowsStaleHits()).isTrue();
    open();
    now.addAndGet(29_999);
    assertThat(breaker.allowsStaleHits()).isTrue();
    now.addAndGet(1);
    assertThat(breaker.allowsStaleHits()).isFalse();
  }

  private void open() {
    breaker.onFailure(new IOException("refused"));
    breaker.onFailure(new IOException("refused"));
    assertThat(breaker.isOpen()).isTrue();
  }
}
