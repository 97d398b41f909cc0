package io.distcache.jcache.coherence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.jcache.configuration.ProviderSettings;
import io.distcache.jcache.configuration.SettingsLoader;
import io.distcache.jcache.redis.RedisConnections;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change-log follower against a real redis-server. A listener that blocks on a latch holds the
 * follower thread still between two reads, so the log can be trimmed, deleted or poisoned at an exact
 * point of the follower's progress.
 */
class ChangeLogFollowerTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private RedisServer redis;
  private RedisConnections connections;
  private ChangeLogFollower follower;
  private final Namespace namespace = Namespace.of("follow", "ns");
  private final Namespace other = Namespace.of("follow", "other");

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    ProviderSettings settings = SettingsLoader.load(URI.create(redis.uri()), getClass().getClassLoader(),
        new Properties(), Map.of(), new Properties());
    connections = new RedisConnections(settings);
    follower = new ChangeLogFollower(connections, "test", Namespace.heartbeatKey("follow"), Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    follower.close();
    connections.close();
    redis.stop();
  }

  /** A listener of {@link #namespace} holding the follower inside the delivery of its first record, {@code s:a}. */
  private RecordingListener heldAfterTheFirstRecord() throws InterruptedException {
    RecordingListener listener = new RecordingListener();
    listener.blockAfterFirstBatch();
    append(namespace, "s:a", "1");
    follower.follow(namespace, "0-0", Duration.ZERO, null, listener);
    listener.awaitBlocked();
    return listener;
  }

  private String append(Namespace target, String key, String version) {
    return redis.command("XADD", target.logKey(), "*", "k", key, "v", version);
  }

  @Test
  void aListenerThatReplaysHearsItCaughtUpOnlyOnceItHasTheRecordItStartedAt() throws Exception {
    RecordingListener first = heldAfterTheFirstRecord();
    append(namespace, "s:b", "2");
    String start = append(namespace, "s:c", "3");
    RecordingListener late = new RecordingListener();

    CompletableFuture<Void> replayed = follower.follow(namespace, start, Duration.ofSeconds(2), null, late);
    assertThat(replayed).as("caught up while the follower is held before the replay").isNotDone();
    first.release();

    replayed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(late.records).extracting(ChangeRecord::encodedKey).containsSubsequence("s:b", "s:c");
  }

  @Test
  void aListenerJoiningWhileABatchIsHandedOverGetsThatBatchBeforeItHearsItCaughtUp() throws Exception {
    RecordingListener first = new RecordingListener();
    first.blockAfterFirstBatch();
    String start = append(namespace, "s:a", "1");
    follower.follow(namespace, "0-0", Duration.ZERO, null, first);
    first.awaitBlocked();
    RecordingListener late = new RecordingListener();

    // The follower stands at the log's start until the held batch is done, so the join moves nothing back.
    CompletableFuture<Void> replayed = follower.follow(namespace, start, Duration.ofSeconds(2), null, late);
    first.release();

    replayed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(late.records).extracting(ChangeRecord::encodedKey).containsExactly("s:a");
  }

  @Test
  void aListenerFollowingFromTheStartCatchesUpOnceAReadReachesTheLogsEnd() throws Exception {
    for (int i = 1; i <= 3; i++) {
      append(namespace, "s:k" + i, Integer.toString(i));
    }
    RecordingListener listener = new RecordingListener();
    listener.blockAfterFirstBatch();

    CompletableFuture<Void> replayed = follower.followFromTheStart(namespace, listener);
    listener.awaitBlocked();
    assertThat(replayed).as("caught up while the batch is still being handed over").isNotDone();
    listener.release();

    replayed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(listener.records).extracting(ChangeRecord::encodedKey).containsExactly("s:k1", "s:k2", "s:k3");
  }

  @Test
  void aListenerFollowingFromTheStartOfALongLogCatchesUpOnlyOnceItHasAllOfIt() throws Exception {
    int records = 2_500;
    redis.command("EVAL", "for i = 1, tonumber(ARGV[1]) do redis.call('XADD', KEYS[1], '*', 'k', 's:k' .. i, 'v',"
        + " tostring(i)) end return 1", "1", namespace.logKey(), Integer.toString(records));
    RecordingListener listener = new RecordingListener();
    AtomicInteger heldWhenCaughtUp = new AtomicInteger(-1);

    CompletableFuture<Void> replayed = follower.followFromTheStart(namespace, listener);
    replayed.thenRun(() -> heldWhenCaughtUp.set(listener.records.size()));

    replayed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(heldWhenCaughtUp).as("records handed over when it caught up").hasValue(records);
  }

  @Test
  void aListenerReplayingAnEmptiedLogIsNotLeftWaiting() throws Exception {
    String start = append(namespace, "s:a", "1");
    redis.command("DEL", namespace.logKey());

    CompletableFuture<Void> replayed = follower.follow(namespace, start, Duration.ofSeconds(2), null,
        new RecordingListener());

    replayed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void aListenerWithoutAReplayHasNothingToCatchUpOn() {
    String start = append(namespace, "s:a", "1");

    assertThat(follower.follow(namespace, start, Duration.ZERO, null, new RecordingListener())).isDone();
  }

  @Test
  void aListenerThatStopsFollowingDuringItsReplayIsNotLeftWaiting() throws Exception {
    RecordingListener first = heldAfterTheFirstRecord();
    String start = append(namespace, "s:b", "2");
    RecordingListener late = new RecordingListener();
    CompletableFuture<Void> replayed = follower.follow(namespace, start, Duration.ofSeconds(2), null, late);

    follower.unfollow(namespace, late);

    assertThat(replayed).isDone();
    first.release();
  }

  @Test
  void aCheckRedisRefusesDoesNotStopTheRecords() {
    RecordingListener listener = new RecordingListener();
    follower.follow(namespace, "0-0", Duration.ZERO, null, listener);
    append(namespace, "s:a", "1");
    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.records).hasSize(1));

    // Another tool's key where the namespace's meta hash belongs: the once-a-second check gets WRONGTYPE.
    redis.command("SET", namespace.metaKey(), "not a hash");
    long checks = hmgets();
    await().atMost(WAIT).until(() -> hmgets() >= checks + 2);
    append(namespace, "s:b", "2");

    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.records).hasSize(2));
  }

  @Test
  void aRefusedCheckOfOneNamespaceLeavesTheOthersChecked() {
    // The follower checks "other" before "namespace" (its map's order): the refusal comes first.
    redis.command("HSET", namespace.metaKey(), "generation", "g1");
    RecordingListener refused = new RecordingListener();
    RecordingListener checked = new RecordingListener();
    follower.follow(other, "0-0", Duration.ZERO, null, refused);
    follower.follow(namespace, "0-0", Duration.ZERO, "g1", checked);
    redis.command("SET", other.metaKey(), "not a hash");

    // What a data loss looks like to the follower: the checked namespace's generation changed.
    redis.command("HSET", namespace.metaKey(), "generation", "g2");

    await().atMost(WAIT).untilAsserted(() -> assertThat(checked.switches).as("the checked namespace moved").hasSize(1));
  }

  private long hmgets() {
    return redis.commandCalls().getOrDefault("hmget", 0L);
  }

  @Test
  void aConnectedFollowerLeftBehindByATrimFlushes() throws Exception {
    RecordingListener listener = heldAfterTheFirstRecord();

    for (int i = 2; i <= 20; i++) {
      append(namespace, "s:k" + i, Integer.toString(i));
    }
    redis.command("XTRIM", namespace.logKey(), "MAXLEN", "5");
    listener.release();

    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.resets).hasSize(1));
    assertThat(listener.resets.get(0)).contains("trimmed");
    assertThat(listener.causes).containsExactly(FlushCause.LOG_GAP);
  }

  @Test
  void aTrimWhileTheFollowerWaitsInItsReadFlushes() throws Exception {
    // The check must look after the read: one made before it would find s:a still there.
    RecordingListener listener = heldAfterTheFirstRecord();
    listener.release();
    await().atMost(WAIT).until(this::followerWaitsInARead);

    // One step, so the waiting read is answered only after the trim: with s:c, never with s:b.
    redis.command("EVAL", "redis.call('XADD', KEYS[1], '*', 'k', 's:b', 'v', '2')"
        + " redis.call('XADD', KEYS[1], '*', 'k', 's:c', 'v', '3')"
        + " return redis.call('XTRIM', KEYS[1], 'MAXLEN', '1')", "1", namespace.logKey());

    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.causes).containsExactly(FlushCause.LOG_GAP));
    assertThat(listener.records).extracting(ChangeRecord::encodedKey).containsExactly("s:a", "s:c");
  }

  private boolean followerWaitsInARead() {
    return redis.command("CLIENT", "LIST").lines()
        .anyMatch(client -> client.contains(" flags=b ") && client.contains(" cmd=xread"));
  }

  @Test
  void aQuietLogTrimmedPastItsLastRecordWhileAnotherLogHeldTheFollowerFlushes() throws Exception {
    // Two logs in one read: the trimmed one is checked although the other held the follower meanwhile.
    RecordingListener quiet = new RecordingListener();
    follower.follow(namespace, "0-0", Duration.ZERO, null, quiet);
    append(namespace, "s:a", "1");
    await().atMost(WAIT).untilAsserted(() -> assertThat(quiet.records).hasSize(1));
    RecordingListener busy = new RecordingListener();
    busy.blockAfterFirstBatch();
    follower.follow(other, "0-0", Duration.ZERO, null, busy);
    append(other, "s:x", "1");
    busy.awaitBlocked();

    for (int i = 2; i <= 20; i++) {
      append(namespace, "s:k" + i, Integer.toString(i));
    }
    redis.command("XTRIM", namespace.logKey(), "MAXLEN", "5");
    busy.release();

    await().atMost(WAIT).untilAsserted(() -> assertThat(quiet.causes).containsExactly(FlushCause.LOG_GAP));
    assertThat(busy.resets).isEmpty();
  }

  @Test
  void aChangeLogDeletedBetweenTwoReadsFlushes() throws Exception {
    RecordingListener listener = heldAfterTheFirstRecord();

    append(namespace, "s:never-read", "2");
    redis.command("DEL", namespace.logKey());
    append(namespace, "s:b", "3");
    listener.release();

    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.resets).hasSize(1));
    assertThat(listener.causes).containsExactly(FlushCause.LOG_GAP);
  }

  @Test
  void aFollowerThatKeepsUpIsNeverFlushed() throws Exception {
    RecordingListener listener = heldAfterTheFirstRecord();
    for (int i = 2; i <= 20; i++) {
      append(namespace, "s:k" + i, Integer.toString(i));
    }
    listener.release();

    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.records).hasSize(20));
    append(namespace, "s:last", "21");
    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.records).hasSize(21));
    assertThat(listener.resets).isEmpty();
  }

  @Test
  void malformedRecordsAreSkippedAndCountedAndTheRestOfTheBatchArrives() throws Exception {
    RecordingListener listener = heldAfterTheFirstRecord();

    append(namespace, "s:b", "not-a-number");
    redis.command("XADD", namespace.logKey(), "*", "k", "s:no-version");
    redis.command("XADD", namespace.logKey(), "*", "v", "7");
    append(namespace, "s:c", "8");
    listener.release();

    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.records)
        .extracting(ChangeRecord::encodedKey).containsExactly("s:a", "s:c"));
    assertThat(follower.malformedRecords()).isEqualTo(3);
    append(namespace, "s:d", "9");
    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.records).hasSize(3));
  }

  @Test
  void aSwitchRecordMovesTheListenerBeforeTheRecordsAfterItAreDelivered() throws Exception {
    RecordingListener listener = heldAfterTheFirstRecord();
    append(namespace, "s:old", "2");
    switchTo("gen-2", "g00c0ffee");
    append(namespace, "s:new", "7");
    listener.release();

    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.records).extracting(ChangeRecord::encodedKey)
        .containsExactly("s:a", "s:old", "s:new"));
    assertThat(listener.switches).containsExactly("g00c0ffee");
    assertThat(listener.events).containsExactly("records", "records", "switch g00c0ffee", "records");
  }

  @Test
  void aProducerNamespaceThatLostItsDataStaysStaleUntilItsProducerSwitchesIt() {
    redis.command("HSET", namespace.metaKey(), "generation", "gen-1", "owner", "producer:users");
    RecordingListener listener = new RecordingListener();
    follower.follow(namespace, "0-0", Duration.ZERO, "gen-1", listener);
    append(namespace, "s:a", "1");
    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.records).hasSize(1));

    redis.command("FLUSHALL");
    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.stales).hasSize(1));
    // the producer recreates the namespace and rebuilds it: still stale, nothing flushed
    redis.command("HSET", namespace.metaKey(), "generation", "gen-2", "owner", "producer:users", "state", "building");
    switchTo("gen-3", "g0000beef");

    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.switches).containsExactly("g0000beef"));
    assertThat(listener.stales).hasSize(1);
    assertThat(listener.resets).hasSize(1);
  }

  /** What switch.lua does: the meta hash names the new generation and key space, then the switch record. */
  private void switchTo(String generation, String space) {
    redis.command("HSET", namespace.metaKey(), "generation", generation, "space", space, "owner", "producer:users");
    redis.command("HDEL", namespace.metaKey(), "state");
    redis.command("XADD", namespace.logKey(), "*", "k", "*", "v", "0", "g", generation, "s", space);
  }

  @Test
  void aSwitchRecordReplayedAfterANewerSwitchDoesNotMoveReadsBack() {
    switchTo("gen-2", "g00000002");
    switchTo("gen-3", "g00000003");
    append(namespace, "s:a", "1");
    RecordingListener listener = new RecordingListener();
    // a cache that reads the whole log, as one created while Redis was down does
    follower.follow(namespace, "0-0", Duration.ZERO, "gen-1", listener);

    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.records).hasSize(1));
    await().pollDelay(Duration.ofMillis(1200)).atMost(WAIT).untilAsserted(
        () -> assertThat(listener.switches).containsExactly("g00000003"));
  }

  @Test
  void anEdgeThatRecreatedTheMetaOfALostProducerNamespaceKeepsItStale() {
    redis.command("HSET", namespace.metaKey(), "generation", "gen-1", "owner", "producer:users");
    RecordingListener listener = new RecordingListener();
    follower.follow(namespace, "0-0", Duration.ZERO, "gen-1", listener);
    await().pollDelay(Duration.ofMillis(1100)).atMost(WAIT).until(() -> true);

    redis.command("FLUSHALL");
    // another edge starting now gives the namespace a generation, without an owner
    redis.command("HSET", namespace.metaKey(), "generation", "edge-made");

    await().pollDelay(Duration.ofMillis(1100)).atMost(WAIT).untilAsserted(() -> assertThat(listener.stales).hasSize(1));
    assertThat(listener.switches).isEmpty();
  }

  @Test
  void anEdgeNamespaceThatLostItsDataIsFlushedNotServedStale() {
    redis.command("HSET", namespace.metaKey(), "generation", "gen-1");
    RecordingListener listener = new RecordingListener();
    follower.follow(namespace, "0-0", Duration.ZERO, "gen-1", listener);
    await().pollDelay(Duration.ofMillis(1100)).atMost(WAIT).until(() -> true);

    redis.command("FLUSHALL");

    await().atMost(WAIT).untilAsserted(() -> assertThat(listener.switches).containsExactly(""));
    assertThat(listener.stales).isEmpty();
  }

  @Test
  void anErrorInAListenerNeitherKillsTheFollowerNorStarvesOtherNamespaces() {
    AtomicInteger calls = new AtomicInteger();
    ChangeListener failing = new ChangeListener() {
      @Override
      public void onChanges(List<ChangeRecord> records) {
        if (calls.incrementAndGet() == 1) {
          throw new StackOverflowError("a value nested too deep");
        }
      }

      @Override
      public void onReset(FlushCause cause, String reason) {
      }

      @Override
      public void onSwitch(String space, FlushCause cause, String reason) {
      }

      @Override
      public void onStale(String reason) {
      }
    };
    RecordingListener healthy = new RecordingListener();
    follower.follow(namespace, "0-0", Duration.ZERO, null, failing);
    follower.follow(other, "0-0", Duration.ZERO, null, healthy);
    append(namespace, "s:a", "1");
    await().atMost(WAIT).until(() -> calls.get() >= 1);

    append(other, "s:b", "2");
    append(namespace, "s:c", "3");

    await().atMost(WAIT).untilAsserted(() -> assertThat(healthy.records).hasSize(1));
    await().atMost(WAIT).until(() -> calls.get() >= 2);
    assertThat(follower.isRunning()).isTrue();
    assertThat(follower.listenerFailures()).isEqualTo(1);
  }

  /** Records what the follower delivers; can hold the follower thread inside the first delivery. */
  static final class RecordingListener implements ChangeListener {

    final List<ChangeRecord> records = new CopyOnWriteArrayList<>();
    final List<String> resets = new CopyOnWriteArrayList<>();
    final List<FlushCause> causes = new CopyOnWriteArrayList<>();
    /** The key spaces switched to, in order ({@code ""} for the first layout). */
    final List<String> switches = new CopyOnWriteArrayList<>();
    final List<String> stales = new CopyOnWriteArrayList<>();
    /** What arrived, in order: {@code records} per delivery, {@code switch <space>} per switch. */
    final List<String> events = new CopyOnWriteArrayList<>();
    private CountDownLatch blocked;
    private final CountDownLatch released = new CountDownLatch(1);

    void blockAfterFirstBatch() {
      blocked = new CountDownLatch(1);
    }

    void awaitBlocked() throws InterruptedException {
      assertThat(blocked.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the follower delivered").isTrue();
    }

    void release() {
      released.countDown();
    }

    @Override
    public void onChanges(List<ChangeRecord> batch) {
      records.addAll(batch);
      events.add("records");
      if (blocked != null && blocked.getCount() > 0) {
        blocked.countDown();
        try {
          released.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void onReset(FlushCause cause, String reason) {
      causes.add(cause);
      resets.add(reason);
    }

    /** A switch flushes too, so it counts as a reset. */
    @Override
    public void onSwitch(String space, FlushCause cause, String reason) {
      switches.add(space == null ? "" : space);
      events.add("switch " + space);
      resets.add(reason);
    }

    @Override
    public void onStale(String reason) {
      stales.add(reason);
    }
  }
}
