package io.distcache.jcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.configuration.ReadFrom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Where a CacheManager's reads go, and which replica modes the heartbeat check watches. */
class ReadRoutingTest {

  private final ReadRouting routing = new ReadRouting("localhost:6390", Duration.ofSeconds(2));

  @Test
  void replicaModesReadReplicasUntilTheyTrailAndAgainOnceTheyCaughtUp() {
    assertThat(routing.readsMaster(ReadFrom.MASTER)).isTrue();
    assertThat(routing.readsMaster(ReadFrom.REPLICA)).isFalse();
    assertThat(routing.readsMaster(ReadFrom.REPLICA_PREFERRED)).isFalse();

    routing.replicasLagging(true);
    assertThat(routing.replicasLagging()).isTrue();
    assertThat(routing.readsMaster(ReadFrom.REPLICA)).isTrue();
    assertThat(routing.readsMaster(ReadFrom.REPLICA_PREFERRED)).isTrue();

    routing.replicasLagging(false);
    assertThat(routing.readsMaster(ReadFrom.REPLICA)).isFalse();
  }

  @Test
  void theModesInUseAreThoseCachesReadIn() {
    assertThat(routing.modesInUse()).isEmpty();
    routing.use(ReadFrom.REPLICA_PREFERRED);
    routing.use(ReadFrom.REPLICA_PREFERRED);
    assertThat(routing.modesInUse()).containsExactly(ReadFrom.REPLICA_PREFERRED);
  }
}
