package io.distcache.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.testkit.RedisServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/** {@link StartedRedis} fields: one server for the class, one per test, each stopped when its scope ends. */
class StartedRedisTest {

  @StartedRedis
  static RedisServer shared;
  @StartedRedis
  RedisServer own;
  private static RedisServer previousOwn;
  private static RedisServer sharedSeenBeforeAll;

  @BeforeAll
  static void theClassServerRunsBeforeAll() {
    assertThat(shared).isNotNull();
    assertThat(shared.isAlive()).isTrue();
    sharedSeenBeforeAll = shared;
  }

  @BeforeEach
  void theTestServerRunsBeforeEach() {
    assertThat(own).isNotNull();
    assertThat(own.isAlive()).isTrue();
  }

  @RepeatedTest(2)
  void eachTestGetsAServerOfItsOwnAndTheLastOneIsStopped() {
    assertThat(shared).isSameAs(sharedSeenBeforeAll);
    assertThat(own.port()).isNotEqualTo(shared.port());
    assertThat(own.command("PING")).isEqualTo("PONG");
    if (previousOwn != null) {
      assertThat(own).isNotSameAs(previousOwn);
      assertThat(previousOwn.isAlive()).as("the previous test's server").isFalse();
    }
    previousOwn = own;
  }
}
