package io.distcache.jcache.coherence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading {@code INFO replication} replies, as Redis 7 writes them. */
class ReplicaLagMonitorTest {

  @Test
  void aMastersReplyListsItsOnlineReplicasAsRoleWould() {
    String info = "# Replication\r\nrole:master\r\nconnected_slaves:3\r\n"
        + "slave0:ip=10.0.0.5,port=6380,state=online,offset=42,lag=0\r\n"
        + "slave1:ip=10.0.0.6,port=6381,state=wait_bgsave,offset=0,lag=1\r\n"
        + "slave2:ip=replica-3.example,port=6382,state=online,offset=42,lag=0\r\n"
        + "master_failover_state:no-failover\r\nmaster_replid:4c2f\r\nmaster_repl_offset:42\r\n";

    assertThat(ReplicaLagMonitor.replicasOf(info)).containsExactly("10.0.0.5:6380", "replica-3.example:6382");
    assertThat(ReplicaLagMonitor.isMaster(info)).isTrue();
  }

  @Test
  void aReplicasReplyListsNoneAndIsNoMasters() {
    String info = "# Replication\r\nrole:slave\r\nmaster_host:10.0.0.4\r\nmaster_port:6379\r\n"
        + "master_link_status:up\r\nslave_read_repl_offset:42\r\nslave_repl_offset:42\r\nslave_priority:100\r\n"
        + "slave_read_only:1\r\nconnected_slaves:0\r\n";

    assertThat(ReplicaLagMonitor.replicasOf(info)).isEmpty();
    assertThat(ReplicaLagMonitor.isMaster(info)).isFalse();
  }
}
