package io.distcache.jcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.distcache.jcache.configuration.OutageSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

  @Test
  void flappingLogsTheFirstTransitionThenTheStateItEndedIn() {
    Logger logger = (Logger) LoggerFactory.getLogger(CircuitBreaker.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      for (int i = 0; i < 5; i++) {
        open();
        breaker.onSuccess();
        now.addAndGet(10);
      }
      breaker.reportFlapping();
      assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
          .contains("circuit breaker open");

      now.addAndGet(1000);
      breaker.reportFlapping();
      breaker.reportFlapping();

      assertThat(lines.list).hasSize(2);
      assertThat(lines.list.get(1).getFormattedMessage()).contains("9 more breaker transitions", "circuit breaker closed");
    } finally {
      logger.detachAppender(lines);
    }
  }

  private void open() {
    breaker.onFailure(new IOException("refused"));
    breaker.onFailure(new IOException("refused"));
    assertThat(breaker.isOpen()).isTrue();
  }
}
