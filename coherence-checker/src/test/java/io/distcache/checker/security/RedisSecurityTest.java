package io.distcache.checker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.DistCacheManager;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.redis.RedisCommandFailedException;
import io.distcache.jcache.spi.DistCachingProvider;
import io.distcache.testkit.Certificates;
import io.distcache.testkit.FreePorts;
import io.distcache.testkit.RedisServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and ACL against a real redis-server started with {@code --tls-port} and ACL users: the
 * application user may only touch keys under its own prefix. A wrong password fails fast and
 * clearly; no password ever shows in exceptions, logs or {@code toString()}.
 */
class RedisSecurityTest {

  private static final String ADMIN = "admin";
  private static final String ADMIN_PASSWORD = "admin-Pw-7f3c19";
  private static final String APP = "app";
  private static final String APP_PASSWORD = "app-Secret-9d41e2";
  private static final String WRONG_PASSWORD = "wrong-Guess-5b7a0c";
  private static final String TRUST_STORE_PASSWORD = "trust-Store-Pw-31c8";
  private static final String PREFIX = "tenant-" + UUID.randomUUID().toString().substring(0, 6);
  private static final Duration TIMEOUT = Duration.ofMillis(1500);

  @TempDir
  static Path certificates;

  private static RedisServer redis;
  private static int tlsPort;
  private static Certificates tls;
  private static String tlsSkipReason;

  private final DistCachingProvider provider = new DistCachingProvider();
  private final List<CacheManager> managers = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    RedisServer.Builder builder = RedisServer.builder();
    if (!RedisServer.binary().supportsTls()) {
      tlsSkipReason = "redis-server " + RedisServer.binary().version() + " at " + RedisServer.binary().path()
          + " was built without TLS";
    } else if (!Certificates.opensslAvailable()) {
      tlsSkipReason = "openssl is not on PATH, so no test certificates can be made";
    } else {
      tls = Certificates.create(certificates, TRUST_STORE_PASSWORD);
      tlsPort = FreePorts.find();
      builder.extraArgs("--tls-port", Integer.toString(tlsPort),
          "--tls-cert-file", tls.serverCertificate().toString(),
          "--tls-key-file", tls.serverKey().toString(),
          "--tls-ca-cert-file", tls.caCertificate().toString(),
          "--tls-auth-clients", "no");
    }
    redis = builder
        .extraArgs("--user", ADMIN, "on", ">" + ADMIN_PASSWORD, "~*", "&*", "+@all",
            "--user", APP, "on", ">" + APP_PASSWORD, "~" + PREFIX + ":*", "&*", "+@all", "-@dangerous",
            "+info", "--user", "default", "off")
        .auth(ADMIN, ADMIN_PASSWORD)
        .start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.stop();
    }
  }

  @AfterEach
  void closeManagers() {
    managers.forEach(CacheManager::close);
    provider.close();
  }

  @Test
  void tlsWithCustomTrustStoreWorksEndToEnd() {
    requireTls();
    Cache<String, String> writer = cache(manager(tlsUri(APP, APP_PASSWORD), PREFIX, true), "orders");
    Cache<String, String> reader = cache(manager(tlsUri(APP, APP_PASSWORD), PREFIX, true), "orders");
    writer.put("o-1", "created");
    assertThat(reader.get("o-1")).isEqualTo("created");
    writer.put("o-1", "paid");
    // The reader's near copy is dropped by its change-log follower, which also runs over TLS.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reader.get("o-1")).isEqualTo("paid"));
    assertThat(redis.command("KEYS", PREFIX + ":orders:k:*")).as("stored through TLS").isNotEmpty();
  }

  @Test
  void tlsWithoutTheTrustStoreIsRefusedClearly() {
    requireTls();
    CacheManager manager = manager(tlsUri(APP, APP_PASSWORD), PREFIX, false);
    long began = System.nanoTime();
    assertThatThrownBy(() -> cache(manager, "orders").put("o-1", "x"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("127.0.0.1:" + tlsPort)
        .satisfies(error -> assertNoSecret(describe(error)));
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aclUserCanUseItsNamespaces() {
    Cache<String, String> cache = cache(manager(plainUri(APP, APP_PASSWORD), PREFIX, false), "users");
    cache.put("u-1", "Ada");
    cache.remove("u-2");
    assertThat(cache.get("u-1")).isEqualTo("Ada");
    assertThat(redis.command("KEYS", PREFIX + ":users:k:*")).isNotEmpty();
  }

  @Test
  void aclUserKeepsGettingInvalidationsAfterTheFollowersChecksRan() {
    // The default read-from (replicaPreferred) in use: the follower's once-a-second check then also asks the master
    // for its replicas, with what the documented ACL allows.
    Cache<String, String> writer = cache(manager(plainUri(APP, APP_PASSWORD), PREFIX, false), "profiles");
    Cache<String, String> reader = cache(manager(plainUri(APP, APP_PASSWORD), PREFIX, false, "replicaPreferred"),
        "profiles");
    writer.put("p-1", "v1");
    assertThat(reader.get("p-1")).isEqualTo("v1");
    long checks = hmgets();
    await().atMost(Duration.ofSeconds(10)).until(() -> hmgets() >= checks + 4);

    writer.put("p-1", "v2");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reader.get("p-1")).isEqualTo("v2"));
  }

  private static long hmgets() {
    return redis.commandCalls().getOrDefault("hmget", 0L);
  }

  @Test
  void aclUserTouchingAnotherPrefixGetsCommandFailed() {
    Cache<String, String> foreign = cache(manager(plainUri(APP, APP_PASSWORD), "other-team", false), "users");
    assertThatThrownBy(() -> foreign.put("u-1", "Eve"))
        .isInstanceOf(RedisCommandFailedException.class)
        .hasMessageContaining("users")
        .satisfies(error -> assertNoSecret(describe(error)));
    assertThatThrownBy(() -> foreign.get("u-1")).isInstanceOf(RedisCommandFailedException.class);
    assertThat(redis.command("KEYS", "other-team:*")).isEmpty();
  }

  @Test
  void wrongPasswordFailsFastWithAClearError() {
    long began = System.nanoTime();
    CacheManager manager = manager(plainUri(APP, WRONG_PASSWORD), PREFIX, false);
    assertThatThrownBy(() -> cache(manager, "users").put("u-1", "x"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("127.0.0.1:" + redis.port())
        // The message itself must point at the credentials, not only a cause deep in the chain.
        .satisfies(error -> assertThat(error.getMessage().toLowerCase())
            .containsAnyOf("wrongpass", "password", "credentials", "authenticat"))
        .satisfies(error -> assertNoSecret(describe(error)));
    assertThat(Duration.ofNanos(System.nanoTime() - began)).as("no hang").isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void secretsNeverAppearInLogsExceptionsOrToString() {
    List<String> texts = new ArrayList<>();
    try (LogCapture logs = new LogCapture()) {
      CacheManager good = manager(appUri(APP_PASSWORD), PREFIX, tlsSkipReason == null);
      Cache<String, String> cache = cache(good, "audit");
      cache.put("a-1", "ok");
      cache.get("a-1");
      texts.add(good.toString());
      texts.add(cache.toString());
      texts.add(good.unwrap(DistCacheManager.class).settings().toString());
      collectFailure(texts, () -> cache(manager(plainUri(APP, WRONG_PASSWORD), PREFIX, false), "audit").put("a", "b"));
      collectFailure(texts, () -> cache(manager(plainUri(APP, APP_PASSWORD), "other-team", false), "audit").put("a", "b"));
      if (tlsSkipReason == null) {
        collectFailure(texts, () -> cache(manager(tlsUri(APP, APP_PASSWORD), PREFIX, false), "audit").put("a", "b"));
      }
      good.close();
      texts.addAll(logs.rendered());
    }
    assertThat(texts).as("log lines, exception texts and toString() results").hasSizeGreaterThan(10);
    texts.forEach(RedisSecurityTest::assertNoSecret);
  }

  private static void collectFailure(List<String> texts, Runnable action) {
    try {
      action.run();
      texts.add("no failure");
    } catch (RuntimeException e) {
      texts.add(describe(e));
    }
  }

  /** The exception's toString, and every cause's and suppressed exception's. */
  private static String describe(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      text.append(t).append(System.lineSeparator());
      for (Throwable suppressed : t.getSuppressed()) {
        text.append(suppressed).append(System.lineSeparator());
      }
    }
    return text.toString();
  }

  private static void assertNoSecret(String text) {
    assertThat(text).doesNotContain(APP_PASSWORD, WRONG_PASSWORD, TRUST_STORE_PASSWORD, ADMIN_PASSWORD);
  }

  private CacheManager manager(String redisUri, String prefix, boolean withTrustStore) {
    return manager(redisUri, prefix, withTrustStore, "master");
  }

  private CacheManager manager(String redisUri, String prefix, boolean withTrustStore, String readFrom) {
    Properties properties = new Properties();
    properties.setProperty("redis.uri", redisUri);
    properties.setProperty("redis.key-prefix", prefix);
    properties.setProperty("redis.connect-timeout", TIMEOUT.toMillis() + "ms");
    properties.setProperty("defaults.command-timeout", TIMEOUT.toMillis() + "ms");
    properties.setProperty("defaults.read-from", readFrom);
    if (withTrustStore) {
      properties.setProperty("redis.tls.trust-store", tls.trustStore().toString());
      properties.setProperty("redis.tls.trust-store-password", TRUST_STORE_PASSWORD);
    }
    CacheManager manager = provider.getCacheManager(URI.create("security-test:" + UUID.randomUUID()),
        RedisSecurityTest.class.getClassLoader(), properties);
    managers.add(manager);
    return manager;
  }

  private static Cache<String, String> cache(CacheManager manager, String name) {
    Cache<String, String> existing = manager.getCache(name, String.class, String.class);
    return existing != null ? existing
        : manager.createCache(name, new DistCacheConfiguration<String, String>().setTypes(String.class, String.class));
  }

  private static String tlsUri(String user, String password) {
    return "rediss://" + user + ":" + password + "@127.0.0.1:" + tlsPort;
  }

  private static String plainUri(String user, String password) {
    return "redis://" + user + ":" + password + "@127.0.0.1:" + redis.port();
  }

  private static void requireTls() {
    Assumptions.assumeTrue(tlsSkipReason == null, () -> "TLS test skipped: " + tlsSkipReason);
  }

  /** The URI of the application user: TLS when the server has it, else plain. */
  private static String appUri(String password) {
    return tlsSkipReason == null ? tlsUri(APP, password) : plainUri(APP, password);
  }
}
