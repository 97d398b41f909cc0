package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write through one CacheManager reaches the near cache of another within 100 ms (the change-log
 * follower drops the stale copy), for puts, removes and clears.
 */
class CrossNodeVisibilityTest {

  private static final int ROUNDS = 200;
  private static final Duration BOUND = Duration.ofMillis(100);
  /** Change-log records in a new cache's replay window when it starts. */
  private static final int BACKLOG = 200_000;
  private static final int BACKLOG_SLICE = 10_000;
  /** Change-log records a cache created while Redis was down reads once it is back. */
  private static final int OUTAGE_BACKLOG = 500_000;

  @StartedRedis
  private static RedisServer redis;
  private Nodes nodes;
  private Cache<String, String> writer;
  private Cache<String, String> reader;

  @BeforeEach
  void twoNodes() {
    nodes = new Nodes(redis.uri(), "it-visibility");
    MutableConfiguration<String, String> configuration =
        new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    writer = nodes.node().createCache("visible", configuration);
    reader = nodes.node().createCache("visible", configuration);
  }

  @Test
  void aCacheCreatedJustNowSeesTheOtherNodesChangesAtOnce() {
    // Creating a cache wakes the follower's blocking read, so the new namespace is followed at once
    // rather than after the current read times out.
    writer.put("fresh", "1");
    assertThat(reader.get("fresh")).isEqualTo("1");
    writer.put("fresh", "2");
    await().atMost(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(1))
        .until(() -> "2".equals(reader.get("fresh")));
  }

  @Test
  void aCacheCreatedBehindABusyChangeLogSeesTheOtherNodesChangesAtOnce() {
    MutableConfiguration<String, String> configuration =
        new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    Cache<String, String> busyWriter = nodes.node("change-log.max-length", "1000000").createCache("busy", configuration);
    busyWriter.put("watched", "1");
    // Changes of other keys written just before the next cache starts: a cache reading replicas replays the log's
    // last outage.replica-max-lag, so that it can tell a trailing replica's answers from current ones.
    appendBacklog(Namespace.of("it-visibility", "busy"), BACKLOG);
    // A command timeout that the replay cannot outlast: createCache waits for it up to that long.
    Cache<String, String> late = nodes.node("outage.replica-max-lag", "60s", "defaults.command-timeout", "30s")
        .createCache("busy", configuration);
    assertThat(late.get("watched")).isEqualTo("1");
    assertThat(Nodes.dist(late).nearCopy("watched")).as("the first read's copy, once the replay is over").isNotNull();

    busyWriter.put("watched", "2");
    within100ms().until(() -> "2".equals(late.get("watched")));
  }

  /**
   * A second cache over a namespace its manager already follows must not hold back the first one's changes: the
   * records a replica-reading cache replays at its start are read again for every listener of the namespace.
   */
  @Test
  void aSecondCacheOverAFollowedNamespaceDoesNotDelayTheFirstCachesChanges() throws Exception {
    MutableConfiguration<String, String> configuration =
        new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    Cache<String, String> busyWriter = nodes.node("change-log.max-length", "1000000").createCache("shared",
        configuration);
    busyWriter.put("watched", "1");
    CacheManager edge = nodes.node("outage.replica-max-lag", "60s", "defaults.command-timeout", "30s");
    Cache<String, String> first = edge.createCache("shared", configuration);
    assertThat(first.get("watched")).isEqualTo("1");
    assertThat(Nodes.dist(first).nearCopy("watched")).isNotNull();
    busyWriter.put("drained", "no");
    assertThat(first.get("drained")).isEqualTo("no");
    appendBacklog(Namespace.of("it-visibility", "shared"), BACKLOG);
    // Once the near copy of "drained" goes, the follower has read the backlog: a replay is what delays changes now
    busyWriter.put("drained", "yes");
    await().atMost(Duration.ofSeconds(30)).until(() -> "yes".equals(first.get("drained")));

    CompletableFuture<Cache<String, String>> second = CompletableFuture.supplyAsync(() -> edge.createCache(
        "shared-too", new DistCacheConfiguration<String, String>().setNamespace("shared")
            .setTypes(String.class, String.class)));
    // The second cache follows the namespace from here on (createCache registers it once it follows).
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
        .until(() -> edge.getCache("shared-too") != null || second.isDone());
    busyWriter.put("watched", "2");
    within100ms().until(() -> "2".equals(first.get("watched")));
    assertThat(second.get(30, TimeUnit.SECONDS).get("watched")).isEqualTo("2");
  }

  /**
   * A cache joining a namespace whose follower is still reading a backlog takes no fill until the follower has
   * passed where the new cache started: a change made then waits behind the backlog, and a copy filled meanwhile
   * would stay stale for as long.
   */
  @Test
  void aCacheJoiningAFollowerStillReadingABacklogSeesTheOtherNodesChangesAtOnce() {
    MutableConfiguration<String, String> configuration =
        new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    Cache<String, String> busyWriter = nodes.node("change-log.max-length", "1000000")
        .createCache("joined", configuration);
    busyWriter.put("watched", "1");
    CacheManager edge = nodes.node("defaults.command-timeout", "30s");
    Cache<String, String> first = edge.createCache("joined", configuration);
    assertThat(first.get("watched")).isEqualTo("1");
    // In one script: the follower finds all of it ahead at its next read
    redis.command(Duration.ofSeconds(30), "EVAL", "for i = 1, tonumber(ARGV[1]) do redis.call('XADD', KEYS[1], '*',"
        + " 'k', 's:backlog-' .. i, 'v', tostring(i)) end return 1", "1",
        Namespace.of("it-visibility", "joined").logKey(), Integer.toString(OUTAGE_BACKLOG));

    Cache<String, String> joining = edge.createCache("joining", new DistCacheConfiguration<String, String>()
        .setNamespace("joined").setTypes(String.class, String.class));
    assertThat(joining.get("watched")).isEqualTo("1");

    busyWriter.put("watched", "2");
    within100ms().until(() -> "2".equals(joining.get("watched")));
  }

  @Test
  void aCacheCreatedWhileRedisWasDownSeesTheOtherNodesChangesAtOnceWhenItIsBack() {
    MutableConfiguration<String, String> configuration =
        new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    Cache<String, String> busyWriter = nodes.node("change-log.max-length", "1000000")
        .createCache("restarted", configuration);
    busyWriter.put("watched", "1");
    appendBacklog(Namespace.of("it-visibility", "restarted"), OUTAGE_BACKLOG);

    Cache<String, String> late;
    redis.pause();
    try {
      // It cannot read where the log ends: once Redis answers, its follower reads the whole log.
      late = nodes.node("defaults.command-timeout", "300ms", "redis.connect-timeout", "500ms")
          .createCache("restarted", configuration);
    } finally {
      redis.resume();
    }
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> "1".equals(late.get("watched")));

    busyWriter.put("watched", "2");
    within100ms().ignoreExceptions().until(() -> "2".equals(late.get("watched")));
  }

  /** Appends {@code records} change-log records of other keys, in slices so no other client waits long. */
  private static void appendBacklog(Namespace namespace, int records) {
    for (int slice = 0; slice < records / BACKLOG_SLICE; slice++) {
      redis.command("EVAL", "for i = 1, tonumber(ARGV[1]) do redis.call('XADD', KEYS[1], '*', 'k', 's:backlog-' .. i,"
          + " 'v', tostring(i)) end return 1", "1", namespace.logKey(), Integer.toString(BACKLOG_SLICE));
    }
  }

  @AfterEach
  void closeNodes() {
    writer.clear();
    nodes.close();
  }

  @Test
  void putOnOneManagerReplacesTheNearCopyOfAnother() {
    long[] latencies = new long[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      String key = "key-" + i;
      writer.put(key, "old-" + i);
      assertThat(reader.get(key)).isEqualTo("old-" + i);
      assertThat(Nodes.dist(reader).nearCopy(key)).as("the reader holds the old value near").isNotNull();

      String fresh = "new-" + i;
      long written = System.nanoTime();
      writer.put(key, fresh);
      within100ms().until(() -> fresh.equals(reader.get(key)));
      latencies[i] = System.nanoTime() - written;
    }
    Arrays.sort(latencies);
    System.out.printf("put visibility on another manager over %d rounds (1 ms polling): p50 %.2f ms, p99 %.2f ms,"
        + " max %.2f ms%n", ROUNDS, millis(latencies[ROUNDS / 2]), millis(latencies[ROUNDS * 99 / 100]),
        millis(latencies[ROUNDS - 1]));
  }

  @Test
  void removeOnOneManagerStopsAnotherFromServingTheValue() {
    for (int i = 0; i < ROUNDS; i++) {
      String key = "gone-" + i;
      writer.put(key, "value-" + i);
      assertThat(reader.get(key)).isEqualTo("value-" + i);
      assertThat(Nodes.dist(reader).nearCopy(key)).isNotNull();

      writer.remove(key);
      within100ms().until(() -> reader.get(key) == null);
    }
  }

  @Test
  void clearOnOneManagerStopsAnotherFromServingAnyValue() {
    Set<String> keys = IntStream.range(0, ROUNDS).mapToObj(i -> "cleared-" + i).collect(Collectors.toSet());
    writer.putAll(keys.stream().collect(Collectors.toMap(key -> key, key -> "value of " + key)));
    assertThat(reader.getAll(keys)).hasSize(ROUNDS);
    assertThat(keys).allSatisfy(key -> assertThat(Nodes.dist(reader).nearCopy(key)).isNotNull());

    writer.clear();
    within100ms().until(() -> reader.getAll(keys).isEmpty());
    assertThat(new HashSet<>(keys)).allSatisfy(key -> assertThat(reader.get(key)).isNull());
  }

  private static ConditionFactory within100ms() {
    return await().atMost(BOUND).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  @Test
  void aListenerHearsOnlyTheChangesMadeThroughItsOwnCacheManager() {
    List<String> heard = new CopyOnWriteArrayList<>();
    CacheEntryCreatedListener<String, String> listener = events -> events.forEach(event -> heard.add(event.getKey()));
    reader.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<String, String>(
        new FactoryBuilder.SingletonFactory<>(listener), null, false, true));

    writer.put("elsewhere", "1");
    within100ms().untilAsserted(() -> assertThat(reader.get("elsewhere")).isEqualTo("1"));
    reader.put("here", "2");

    assertThat(heard).as("JSR-107 events are per cache instance: the other manager's put is not heard")
        .containsExactly("here");
  }
}
