package io.distcache.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.testkit.RedisSentinel;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The checker through a Sentinel failover: every CacheManager is given the {@code redis-sentinel://}
 * URI; the master is killed for good and Sentinel promotes the replica. The fault window lasts
 * until the writer's writes are acknowledged by the new master; after it and the repair grace no
 * read may be stale and no near entry may differ from Redis.
 */
class SentinelFailoverTest {

  @Test
  void edgesStayCoherentThroughAFailover() {
    try (RedisTopology topology = RedisTopology.start(1);
        RedisSentinel sentinel = RedisSentinel.monitor(topology.master(), Duration.ofSeconds(1))) {
      Properties properties = topology.managerProperties();
      properties.setProperty("redis.uri", sentinel.uri());
      properties.setProperty("outage.retry-interval", "200ms");
      CheckerReport report;
      try (CoherenceChecker checker = new CoherenceChecker(TestOptions.faults(), properties)) {
        checker.start();
        FaultInjectionTest.sleep(Duration.ofSeconds(1));
        topology.replicas().get(0).awaitSync();
        try (Ledger.FaultWindow window = checker.fault("master killed, Sentinel fails over")) {
          topology.master().kill();
          long writes = checker.ledger().writes();
          await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
              .until(() -> sentinel.masterPort() == topology.replicas().get(0).port()
                  && checker.ledger().writes() > writes + 100);
        }
        FaultInjectionTest.writeQuiescentKeys(checker);
        FaultInjectionTest.sleep(checker.options().repairGrace().plusSeconds(1));
        report = checker.finish(checker.options().repairGrace());
      }
      System.out.println(report.format());
      FaultInjectionTest.assertRepaired(report, FaultInjectionTest.UNREACHABLE);
      assertThat(report.tally().errors()).as("calls failed fast while there was no master")
          .containsKey(FaultInjectionTest.UNREACHABLE);
    }
  }
}
