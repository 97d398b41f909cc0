package io.distcache.producer;

import io.distcache.testkit.KafkaBroker;
import io.distcache.testkit.RedisCluster;
import io.distcache.testkit.RedisServer;

/**
 * One Kafka broker, one redis-server and, for the cluster tests, one Redis Cluster (3 masters with a
 * replica each) shared by the producer tests of a JVM (each test uses its own topics and namespaces);
 * all stop when the JVM exits.
 */
final class Infra {

  private static KafkaBroker kafka;
  private static RedisServer redis;
  private static RedisCluster cluster;

  private Infra() {
  }

  static synchronized KafkaBroker kafka() {
    if (kafka == null) {
      kafka = KafkaBroker.start();
    }
    return kafka;
  }

  static synchronized RedisServer redis() {
    if (redis == null) {
      redis = RedisServer.start();
    }
    return redis;
  }

  static synchronized RedisCluster cluster() {
    if (cluster == null) {
      cluster = RedisCluster.start(3, 1);
    }
    return cluster;
  }
}
