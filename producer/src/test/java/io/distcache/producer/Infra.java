package io.distcache.producer;

import io.distcache.testkit.KafkaBroker;
import io.distcache.testkit.RedisServer;

/**
 * One Kafka broker and one redis-server shared by the producer tests of a JVM (each test uses its own
 * topics and namespaces); both stop when the JVM exits.
 */
final class Infra {

  private static KafkaBroker kafka;
  private static RedisServer redis;

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
}
