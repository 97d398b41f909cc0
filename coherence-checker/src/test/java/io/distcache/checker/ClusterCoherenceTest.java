package io.distcache.checker;

import static io.distcache.checker.FaultInjectionTest.assertRepaired;
import static io.distcache.checker.FaultInjectionTest.sleep;

import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisCluster;
import io.distcache.testkit.RedisServer;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checker on a Redis Cluster of three masters with a replica each ({@code redis.cluster=true}):
 * no stale read beyond the bound while healthy, and zero stale near entries after the master
 * holding the change logs, or one holding entries, is killed and its replica promoted.
 */
class ClusterCoherenceTest {

  private static final Duration STEADY = Duration.ofSeconds(2);
  /**
   * While a master's slots have no master, calls fail fast once the breaker is open, and before that
   * the cluster answers some with an error ({@code CLUSTERDOWN}, {@code TRYAGAIN}).
   */
  private static final String[] FAILOVER_ERRORS = {FaultInjectionTest.UNREACHABLE, "RedisCommandFailedException"};

  private RedisCluster cluster;
  private CoherenceChecker checker;
  private String keyPrefix;

  @BeforeEach
  void start() {
    cluster = RedisCluster.start(3, 1);
    keyPrefix = "chk-" + UUID.randomUUID().toString().substring(0, 8);
    Properties properties = new Properties();
    properties.setProperty("redis.uri", cluster.seedsUri());
    properties.setProperty("redis.cluster", "true");
    properties.setProperty("redis.key-prefix", keyPrefix);
    checker = new CoherenceChecker(TestOptions.faults(), properties);
  }

  @AfterEach
  void stop() {
    checker.close();
    cluster.close();
  }

  @Test
  void healthyClusterHasNoStaleReads() {
    assertRepaired(runAround(() -> sleep(STEADY)));
  }

  @Test
  void changeLogMasterFailsOver() {
    assertRepaired(runAround(() -> failOver(cluster.masterOf(Namespace.heartbeatKey(keyPrefix)))), FAILOVER_ERRORS);
  }

  @Test
  void entryMasterFailsOver() {
    RedisServer logMaster = cluster.masterOf(Namespace.heartbeatKey(keyPrefix));
    Namespace namespace = Namespace.of(keyPrefix, Namespace.escape(checker.options().cacheName()));
    RedisServer entryMaster = cluster.masters().stream().filter(master -> master != logMaster)
        .filter(master -> master == cluster.masterOf(namespace.entryKey("s:" + checker.key(0))))
        .findFirst().orElseGet(() -> cluster.masters().stream().filter(master -> master != logMaster)
            .findFirst().orElseThrow());
    assertRepaired(runAround(() -> failOver(entryMaster)), FAILOVER_ERRORS);
  }

  private void failOver(RedisServer master) {
    try (Ledger.FaultWindow window = checker.fault("cluster master " + master.port() + " killed")) {
      master.kill();
      cluster.awaitHealthy();
    }
  }

  private CheckerReport runAround(Runnable fault) {
    return FaultInjectionTest.runAround(checker, fault);
  }
}
