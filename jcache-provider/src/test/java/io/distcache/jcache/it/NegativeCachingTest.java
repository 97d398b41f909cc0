package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.coherence.FlushCause;
import io.distcache.jcache.coherence.ForeignWriter;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Negative caching ({@code near.negative-caching}): a miss Redis confirmed is answered in the JVM afterwards, and
 * the change-log record of a later write drops it like any near value.
 */
class NegativeCachingTest {

  private static final int LOOKUPS = 1_000;
  private static final MutableConfiguration<String, String> STRINGS =
      new MutableConfiguration<String, String>().setTypes(String.class, String.class);

  @StartedRedis
  private static RedisServer redis;
  private Nodes nodes;
  private EntryCommandMonitor monitor;

  @AfterEach
  void close() {
    if (monitor != null) {
      monitor.close();
    }
    nodes.close();
  }

  @Test
  void aRepeatedLookupOfAnAbsentKeyAsksRedisOnceAndAWriteByAnotherManagerIsSeen() {
    nodes = new Nodes(redis.uri(), "neg-on");
    Cache<String, String> writer = nodes.node().createCache("users", STRINGS);
    Cache<String, String> reader = nodes.node("defaults.near.negative-caching", "on").createCache("users", STRINGS);
    monitor = EntryCommandMonitor.start(redis, "neg-on", "users");

    for (int i = 0; i < LOOKUPS; i++) {
      assertThat(reader.get("user:404")).isNull();
      assertThat(reader.containsKey("user:404")).isFalse();
    }
    assertThat(reader.getAll(Set.of("user:404"))).isEmpty();
    assertThat(monitor.names()).containsExactly("get");
    // every get but the first, and the getAll (containsKey is no read in the statistics' sense)
    assertThat(Nodes.dist(reader).metrics().absentHits()).isEqualTo(LOOKUPS);

    writer.put("user:404", "created later");
    await().atMost(Duration.ofSeconds(2)).until(() -> "created later".equals(reader.get("user:404")));
    assertThat(reader.containsKey("user:404")).isTrue();
  }

  @Test
  void aKeyItsProducerDeletedIsRememberedAsAbsentUntilItIsProjectedAgain() {
    nodes = new Nodes(redis.uri(), "neg-deleted");
    String log = "neg-deleted:{neg-deleted}:rows:log";
    redis.command("HSET", "neg-deleted:{neg-deleted}:rows:meta", "owner", "producer:core.rows");
    try (ForeignWriter producer = new ForeignWriter(redis.uri(), "neg-deleted", "rows")) {
      producer.write("row", "first", 3);
      Cache<String, String> reader = nodes.node().createCache("rows", STRINGS);
      assertThat(reader.get("row")).isEqualTo("first");

      producer.writeTombstone("row", 4);
      redis.command("XADD", log, "*", "k", "s:row", "v", "4");
      await().atMost(Duration.ofSeconds(2)).until(() -> reader.get("row") == null);
      monitor = EntryCommandMonitor.start(redis, "neg-deleted", "rows");
      assertThat(reader.get("row")).isNull();
      assertThat(reader.get("row")).isNull();
      assertThat(monitor.names()).as("the read that found the tombstone remembered it").isEmpty();

      producer.write("row", "projected again", 5);
      redis.command("XADD", log, "*", "k", "s:row", "v", "5");
      await().atMost(Duration.ofSeconds(2)).until(() -> "projected again".equals(reader.get("row")));
    }
  }

  @Test
  void byDefaultAMissInANamespaceNoProducerOwnsAsksRedisEveryTime() {
    nodes = new Nodes(redis.uri(), "neg-auto-edge");
    Cache<String, String> reader = nodes.node().createCache("users", STRINGS);
    monitor = EntryCommandMonitor.start(redis, "neg-auto-edge", "users");

    assertThat(reader.get("user:404")).isNull();
    assertThat(reader.get("user:404")).isNull();
    assertThat(monitor.names()).containsExactly("get", "get");
  }

  @Test
  void aNamespaceNoProducerOwnsStaysWithoutNegativeCachingAfterADataLoss() {
    nodes = new Nodes(redis.uri(), "neg-auto-loss");
    Cache<String, String> reader = nodes.node().createCache("users", STRINGS);
    reader.put("user:1", "Ada");
    redis.command("FLUSHALL");
    await().atMost(Duration.ofSeconds(5)).until(() -> Nodes.dist(reader).metrics().flushes(FlushCause.DATA_LOSS) > 0);
    monitor = EntryCommandMonitor.start(redis, "neg-auto-loss", "users");

    assertThat(reader.get("user:404")).isNull();
    assertThat(reader.get("user:404")).isNull();
    assertThat(monitor.names()).containsExactly("get", "get");
  }

  @Test
  void byDefaultMissesInAProducerNamespaceAreRememberedAndItsRecordsDropThem() {
    nodes = new Nodes(redis.uri(), "neg-auto-producer");
    try (ForeignWriter producer = new ForeignWriter(redis.uri(), "neg-auto-producer", "rows")) {
      producer.write("present", "from the topic", 3);
    }
    String meta = "neg-auto-producer:{neg-auto-producer}:rows:meta";
    String log = "neg-auto-producer:{neg-auto-producer}:rows:log";
    redis.command("HSET", meta, "owner", "producer:core.rows");
    Cache<String, String> reader = nodes.node().createCache("rows", STRINGS);
    monitor = EntryCommandMonitor.start(redis, "neg-auto-producer", "rows");

    for (int i = 0; i < LOOKUPS; i++) {
      assertThat(reader.get("missing")).isNull();
    }
    assertThat(reader.getAll(Set.of("present", "missing"))).isEqualTo(Map.of("present", "from the topic"));
    assertThat(monitor.names()).containsExactly("get", "mget");

    // The producer projects the key at its next offset (version 0 would be its very first), then logs it.
    try (ForeignWriter producer = new ForeignWriter(redis.uri(), "neg-auto-producer", "rows")) {
      producer.write("missing", "projected later", 4);
    }
    redis.command("XADD", log, "*", "k", "s:missing", "v", "4");
    await().atMost(Duration.ofSeconds(2)).until(() -> "projected later".equals(reader.get("missing")));
  }

  @Test
  void offKeepsAskingRedis() {
    nodes = new Nodes(redis.uri(), "neg-off");
    redis.command("HSET", "neg-off:{neg-off}:rows:meta", "owner", "producer:core.rows");
    Cache<String, String> reader = nodes.node("defaults.near.negative-caching", "off").createCache("rows", STRINGS);
    monitor = EntryCommandMonitor.start(redis, "neg-off", "rows");

    assertThat(reader.get("missing")).isNull();
    assertThat(reader.get("missing")).isNull();
    assertThat(monitor.names()).containsExactly("get", "get");
  }
}
