package io.distcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisClusterTest {

  @Test
  void formsAClusterWithEverySlotServedAndReplicasLinked() {
    try (RedisCluster cluster = RedisCluster.start(3, 1)) {
      assertThat(cluster.masters()).hasSize(3);
      assertThat(cluster.replicas()).hasSize(3);
      for (RedisServer node : cluster.nodes()) {
        assertThat(node.command("CLUSTER", "INFO"))
            .contains("cluster_state:ok", "cluster_slots_assigned:16384", "cluster_known_nodes:6");
      }
      for (int i = 0; i < 3; i++) {
        assertThat(cluster.replicas().get(i).command("INFO", "replication"))
            .contains("master_port:" + cluster.masters().get(i).port());
      }

      RedisServer owner = cluster.masterOf("some-key");
      owner.command("SET", "some-key", "v");
      assertThat(owner.command("GET", "some-key")).isEqualTo("v");
      RedisServer other = cluster.masters().stream().filter(node -> node != owner).findFirst().orElseThrow();
      assertThatThrownBy(() -> other.command("GET", "some-key")).hasMessageStartingWith("MOVED");
    }
  }

  @Test
  void promotesAReplicaWhenItsMasterIsKilled() {
    try (RedisCluster cluster = RedisCluster.start(3, 1)) {
      RedisServer master = cluster.masterOf("k");
      RedisServer replica = cluster.replicas().get(cluster.masters().indexOf(master));
      master.kill();

      cluster.awaitHealthy();

      assertThat(cluster.masterOf("k")).isSameAs(replica);
      replica.command("SET", "k", "after failover");
      assertThat(replica.command("GET", "k")).isEqualTo("after failover");
    }
  }
}
