package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.fixture.CoreTopic;
import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.Producers;
import io.distcache.testkit.Certificates;
import io.distcache.testkit.FreePorts;
import io.distcache.testkit.RedisSentinel;
import io.distcache.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The producer against a Sentinel-managed master that fails over under live traffic, and against Redis over TLS. */
class RedisDeploymentsTest {

  private static final String TRUST_STORE_PASSWORD = "trust-Store-Pw-7e21";

  @Test
  void aSentinelFailoverDuringLiveTrafficEndsWithTheCompactedState() throws Exception {
    Infra.kafka().createCompactedTopic("sentinel.users", 3);
    Set<Long> ids = new HashSet<>();
    try (RedisServer master = RedisServer.start(); RedisServer replica = master.startReplica();
        RedisSentinel sentinel = RedisSentinel.monitor(master, Duration.ofMillis(1000));
        CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "sentinel.users")) {
      Properties props = Producers.properties("sentinel.users", "sentinel");
      props.setProperty("redis.uri", sentinel.uri());
      props.setProperty("redis.command-timeout", "2s");
      try (CacheProducer producer = CacheProducer.start(io.distcache.producer.config.SettingsFile.parse(props, "test"));
          Edge edge = new Edge(sentinel.uri(), "sentinel")) {
        Random random = new Random(5);
        for (int i = 0; i < 3_000; i++) {
          long id = random.nextInt(1_000);
          ids.add(id);
          core.upsert(id);
        }
        core.flush();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(core.state(), ids));

        // live traffic goes on while the master dies and Sentinel promotes its replica
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread traffic = new Thread(() -> {
          while (publishing.get()) {
            long id = random.nextInt(1_000);
            synchronized (ids) {
              ids.add(id);
              if (random.nextInt(10) == 0) {
                core.delete(id);
              } else {
                core.upsert(id);
              }
            }
            sleepQuietly(2);
          }
        });
        traffic.start();
        Thread.sleep(500);
        replica.awaitSync();
        master.kill();
        await().atMost(Duration.ofSeconds(30)).until(() -> sentinel.masterPort() == replica.port());
        Thread.sleep(1_000);
        publishing.set(false);
        traffic.join();
        core.flush();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
            .until(() -> edge.matches(core.state(), ids));
        edge.assertEquals(core.state(), ids);
        assertThat(replica.command("HGET", "dc:{dc}:sentinel:meta", "owner")).isEqualTo("producer:sentinel.users");
      }
    }
  }

  @Test
  void theProducerWritesOverTlsWithItsOwnTrustStore(@TempDir Path certificates) throws Exception {
    Assumptions.assumeTrue(RedisServer.binary().supportsTls(), () -> "skipped: redis-server "
        + RedisServer.binary().version() + " at " + RedisServer.binary().path() + " was built without TLS");
    Assumptions.assumeTrue(Certificates.opensslAvailable(), "skipped: openssl is not on PATH, so no test"
        + " certificates can be made");
    Certificates tls = Certificates.create(certificates, TRUST_STORE_PASSWORD);
    int tlsPort = FreePorts.find();
    Infra.kafka().createCompactedTopic("tls.users", 2);
    Set<Long> ids = new HashSet<>();
    try (RedisServer redis = RedisServer.builder().extraArgs("--tls-port", Integer.toString(tlsPort),
            "--tls-cert-file", tls.serverCertificate().toString(), "--tls-key-file", tls.serverKey().toString(),
            "--tls-ca-cert-file", tls.caCertificate().toString(), "--tls-auth-clients", "no").start();
        CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "tls.users")) {
      Properties props = Producers.properties("tls.users", "tls");
      props.setProperty("redis.uri", "rediss://127.0.0.1:" + tlsPort);
      props.setProperty("redis.tls.trust-store", tls.trustStore().toString());
      props.setProperty("redis.tls.trust-store-password", "${env:NO_SUCH_VARIABLE_HERE}");
      assertThat(org.assertj.core.api.Assertions.catchThrowable(
          () -> io.distcache.producer.config.SettingsFile.parse(props, "test"))).hasMessageContaining("NO_SUCH_VARIABLE");
      props.setProperty("redis.tls.trust-store-password", TRUST_STORE_PASSWORD);
      try (CacheProducer producer = CacheProducer.start(io.distcache.producer.config.SettingsFile.parse(props, "test"));
          Edge edge = new Edge(redis.uri(), "tls")) {
        for (long id = 0; id < 500; id++) {
          ids.add(id);
          core.upsert(id);
        }
        core.flush();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(core.state(), ids));
        assertThat(redis.command("CLIENT", "LIST")).as("the producer is connected over TLS")
            .contains("laddr=127.0.0.1:" + tlsPort);
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
