package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.DistCache;
import io.distcache.jcache.coherence.FlushCause;
import io.distcache.jcache.near.NearEntry;
import io.distcache.jcache.snapshot.SnapshotEntry;
import io.distcache.jcache.snapshot.SnapshotFile;
import io.distcache.protocol.codec.Envelope;
import io.distcache.testkit.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Near-cache snapshots ({@code near.snapshot-dir}): a CacheManager started while Redis does not answer serves what
 * its snapshot holds, and once Redis answers it resumes the change log from the snapshot's id, so that it holds no
 * stale entry; a log that no longer reaches back to that id flushes instead; a damaged snapshot is ignored.
 */
class SnapshotTest {

  private static final int KEYS = 1_000;
  private static final MutableConfiguration<String, String> STRINGS =
      new MutableConfiguration<String, String>().setTypes(String.class, String.class);

  @TempDir
  Path snapshots;
  private RedisServer redis;
  private Nodes nodes;
  private Cache<String, String> writer;
  private final Map<String, String> current = new HashMap<>();

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    nodes = new Nodes(redis.uri(), "snap");
    writer = nodes.node().createCache("rows", STRINGS);
    for (int i = 0; i < KEYS; i++) {
      put("k" + i, "v1 of " + i);
    }
  }

  @AfterEach
  void stop() {
    if (redis.isAlive()) {
      redis.resume();
    }
    nodes.close();
    redis.stop();
  }

  @Test
  void aManagerStartedWhileRedisIsDownServesTheSnapshotAndHoldsNoStaleEntryOnceRedisAnswers() throws Exception {
    snapshotEveryKey();
    // Changed after the snapshot: these near copies are stale until the log is replayed from the snapshot's id.
    for (int i = 0; i < KEYS; i += 3) {
      put("k" + i, "v2 of " + i);
    }
    for (int i = 1; i < KEYS; i += 7) {
      remove("k" + i);
    }

    redis.pause();
    DistCache<String, String> restarted = Nodes.dist(edge().createCache("rows", STRINGS));
    assertThat(restarted.nearCache().size()).isEqualTo(KEYS);
    for (int i = 0; i < KEYS; i++) {
      assertThat(restarted.get("k" + i)).as("k%d served from the snapshot while Redis is down", i)
          .isEqualTo("v1 of " + i);
    }

    redis.resume();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      for (int i = 0; i < KEYS; i++) {
        NearEntry.Present copy = restarted.nearCopy("k" + i);
        assertThat(copy == null ? null : copy.value()).as("near copy of k%d", i)
            .isIn(null, current.get("k" + i));
      }
    });
    assertThat(restarted.metrics().flushes(FlushCause.LOG_GAP)).as("an exact repair, no flush").isZero();
    for (int i = 0; i < KEYS; i++) {
      assertThat(restarted.get("k" + i)).as("k%d", i).isEqualTo(current.get("k" + i));
    }
  }

  @Test
  void aSnapshotOlderThanTheLogsReachIsFlushedOnceRedisAnswersNotServedStale() throws Exception {
    snapshotEveryKey();
    for (int i = 0; i < KEYS; i += 2) {
      put("k" + i, "v2 of " + i);
    }
    // The log no longer holds the record the snapshot stands at (change-log.max-length trimmed past it).
    redis.command("XTRIM", "snap:{snap}:rows:log", "MAXLEN", "10");

    redis.pause();
    DistCache<String, String> restarted = Nodes.dist(edge().createCache("rows", STRINGS));
    assertThat(restarted.get("k0")).isEqualTo("v1 of 0");

    redis.resume();
    await().atMost(Duration.ofSeconds(10)).until(() -> restarted.metrics().flushes(FlushCause.LOG_GAP) == 1);
    for (int i = 0; i < KEYS; i++) {
      assertThat(restarted.get("k" + i)).as("k%d", i).isEqualTo(current.get("k" + i));
    }
  }

  @Test
  void aDamagedOrForeignSnapshotIsIgnoredAndTheCacheStartsEmpty() throws Exception {
    Path file = snapshotEveryKey();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(file, bytes);

    redis.pause();
    DistCache<String, String> damaged = Nodes.dist(edge().createCache("rows", STRINGS));
    assertThat(damaged.nearCache().size()).isZero();
    redis.resume();
    assertThat(damaged.get("k1")).isEqualTo("v1 of 1");

    Files.write(file, "not a snapshot at all".getBytes());
    redis.pause();
    DistCache<String, String> foreign = Nodes.dist(edge().createCache("rows", STRINGS));
    assertThat(foreign.nearCache().size()).isZero();
  }

  @Test
  void restoredEntriesAreServedForAtMostStaleOnFailureFromTheSnapshotsTime() throws Exception {
    snapshotEveryKey();
    redis.pause();
    DistCache<String, String> restarted = Nodes.dist(edge("outage.stale-on-failure", "3s")
        .createCache("rows", STRINGS));
    assertThat(restarted.nearCache().size()).isEqualTo(KEYS);

    await().atMost(Duration.ofSeconds(10)).until(() -> restarted.nearCache().size() == 0);
    assertThat(restarted.metrics().flushes(FlushCause.SNAPSHOT_EXPIRED)).isEqualTo(1);
  }

  @Test
  void aWholeSnapshotWithAnEntryTheCacheCannotRestoreIsIgnored() throws Exception {
    SnapshotFile file = new SnapshotFile(snapshotEveryKey());
    SnapshotFile.Snapshot snapshot = file.read(Long.MAX_VALUE);
    List<SnapshotEntry> entries = new ArrayList<>(snapshot.entries());
    entries.set(7, new SnapshotEntry(entries.get(7).encodedKey(), Long.MAX_VALUE, Envelope.tombstone(3).toBytes()));
    file.write(snapshot.header(), entries);

    redis.pause();
    DistCache<String, String> restarted = Nodes.dist(edge().createCache("rows", STRINGS));
    assertThat(restarted.nearCache().size()).isZero();
  }

  /** A CacheManager of an edge that keeps its snapshot in the test's directory. */
  private CacheManager edge(String... settings) {
    String[] all = new String[settings.length + 8];
    System.arraycopy(new String[] {"defaults.near.snapshot-dir", snapshots.toString(), "defaults.command-timeout",
        "300ms", "redis.connect-timeout", "500ms", "defaults.read-from", "master"}, 0, all, 0, 8);
    System.arraycopy(settings, 0, all, 8, settings.length);
    return nodes.node(all);
  }

  /** Reads every key through an edge and closes it, which writes its snapshot; returns the snapshot file. */
  private Path snapshotEveryKey() throws IOException {
    CacheManager edge = edge();
    Cache<String, String> cache = edge.createCache("rows", STRINGS);
    for (int i = 0; i < KEYS; i++) {
      assertThat(cache.get("k" + i)).isEqualTo(current.get("k" + i));
    }
    edge.close();
    Path file = snapshots.resolve("rows.snapshot");
    assertThat(file).exists();
    return file;
  }

  private void put(String key, String value) {
    writer.put(key, value);
    current.put(key, value);
  }

  private void remove(String key) {
    writer.remove(key);
    current.remove(key);
  }
}
