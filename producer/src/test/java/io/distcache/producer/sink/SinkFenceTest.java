package io.distcache.producer.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.config.RedisSettings;
import io.distcache.producer.sink.NamespaceSink.Ownership;
import io.distcache.producer.source.SourceIdentity;
import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KeyEncoder;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.codec.ValueCodec;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fences of a standalone master, call by call: the claim and its token, the chain of a batch's
 * chunks, a replayed truncate and a rebuild.
 */
public class SinkFenceTest {

  private static final ValueCodec CODEC = new KryoValueCodec(ClassAllowList.defaults(), 4096,
      SinkFenceTest.class.getClassLoader());
  private static final KeyEncoder KEYS = new KeyEncoder(CODEC);
  private static final SourceIdentity TOPIC = new SourceIdentity("topic-a", 1);

  @StartedRedis
  private static RedisServer redis;

  @Test
  void onlyTheInstanceHoldingTheClaimWritesAndASilentOneLosesIt() {
    Namespace layout = Namespace.of("dc", "fclaim");
    try (RedisTarget target = RedisTarget.of(RedisSettings.of(redis.uri()))) {
      NamespaceSink first = new NamespaceSink(target, layout, "first", 1000, Duration.ofMinutes(5), true);
      NamespaceSink second = new NamespaceSink(target, layout, "second", 1000, Duration.ofMinutes(5), true);
      first.loadScripts();
      Claim claimed = claim(first, Duration.ofMillis(500), "g1");
      assertThat(claimed.held()).isTrue();
      assertThat(claimed.created()).isTrue();
      Claim refused = claim(second, Duration.ofSeconds(5), "g2");
      assertThat(refused.held()).isFalse();
      assertThat(refused.heldElsewhereMillis()).isBetween(1L, 500L);
      assertThat(second.send(List.of(write(1, 0)), Map.of(0, new OffsetMove(null, 1)), "g1").await())
          .isEqualTo(PendingBatch.FENCED);
      assertThat(raw(layout, 1)).isNull();

      // the first instance falls silent: its claim lapses and the second takes the namespace over
      await().atMost(Duration.ofSeconds(5)).until(() -> claim(second, Duration.ofSeconds(5), "g2").held());
      assertThat(first.send(List.of(write(1, 0)), Map.of(0, new OffsetMove(null, 1)), "g1").await())
          .as("the former holder, resumed").isEqualTo(PendingBatch.FENCED);
      assertThat(claim(first, Duration.ofSeconds(5), "g1").held()).isFalse();
      assertThat(second.send(List.of(write(1, 0)), Map.of(0, new OffsetMove(null, 1)), "g1").await()).isEqualTo(1);

      // a graceful stop gives the claim up at once
      second.release();
      assertThat(claim(first, Duration.ofSeconds(5), "g1").held()).isTrue();
      first.close();
      second.close();
    }
  }

  @Test
  void writesRenewTheClaimAndANamespaceOfAnotherProjectionIsNotTouched() throws Exception {
    Namespace layout = Namespace.of("dc", "frenew");
    try (RedisTarget target = RedisTarget.of(RedisSettings.of(redis.uri()))) {
      NamespaceSink writer = new NamespaceSink(target, layout, "writer", 1000, Duration.ofMinutes(5), true);
      NamespaceSink standby = new NamespaceSink(target, layout, "standby", 1000, Duration.ofMinutes(5), true);
      writer.loadScripts();
      String generation = claim(writer, Duration.ofMillis(1_500), "g1").generation();
      // 2.5 s of batches and no renewal call: each batch that passes the fence renews the claim
      for (int i = 0; i < 25; i++) {
        assertThat(writer.send(List.of(write(i, i)), Map.of(0, new OffsetMove(i == 0 ? null : (long) i, i + 1)),
            generation).await()).isEqualTo(1);
        assertThat(claim(standby, Duration.ofSeconds(5), "g2").held()).as("after batch %d", i).isFalse();
        Thread.sleep(100);
      }

      Namespace foreign = Namespace.of("dc", "fforeign");
      redis.command("HSET", foreign.metaKey(), "owner", "producer:another.topic", "generation", "x");
      NamespaceSink intruder = new NamespaceSink(target, foreign, "intruder", 1000, Duration.ofMinutes(5), true);
      Claim claim = claim(intruder, Duration.ofSeconds(5), "g3");
      assertThat(claim.ownedByAnother()).isTrue();
      assertThat(claim.owner()).isEqualTo("producer:another.topic");
      assertThat(redis.command("HEXISTS", foreign.metaKey(), "writer")).as("nothing written").isEqualTo("0");
      writer.close();
      standby.close();
      intruder.close();
    }
  }

  @Test
  void entriesEdgesWroteAreReportedUntilARebuildRemovedThem() {
    Namespace layout = Namespace.of("dc", "fedges");
    redis.command("HSET", layout.metaKey(), "generation", "edge-made");
    redis.command("SET", layout.sequenceKey(), "7");
    try (RedisTarget target = RedisTarget.of(RedisSettings.of(redis.uri()))) {
      NamespaceSink sink = new NamespaceSink(target, layout, "only", 1000, Duration.ofMinutes(5), true);
      sink.loadScripts();
      assertThat(claim(sink, Duration.ofSeconds(30), "g1").edgeWrites()).isTrue();
      // a rebuild that did not happen (a crash, a lost claim): the next claim still reports them
      assertThat(claim(sink, Duration.ofSeconds(30), "g1").edgeWrites()).isTrue();
      assertThat(sink.rebuild("edge-made", "g2", TOPIC)).isZero();
      assertThat(claim(sink, Duration.ofSeconds(30), "g1").edgeWrites()).isFalse();
      sink.close();
    }
  }

  @Test
  void aChunkThatFailsStopsTheRestOfItsBatchAndTheOffsetMove() {
    Namespace layout = Namespace.of("dc", "fchain");
    try (RedisTarget target = RedisTarget.of(RedisSettings.of(redis.uri()))) {
      NamespaceSink sink = new NamespaceSink(target, layout, "only", 1000, Duration.ofMinutes(5), true);
      sink.loadScripts();
      String generation = claim(sink, Duration.ofSeconds(30), "g1").generation();
      List<EntryWrite> writes = new ArrayList<>();
      for (long id = 0; id < 2_000; id++) {
        writes.add(write(id, id));
      }
      // user 700 is in the second of four chunks; a key of the wrong type fails that chunk's script
      redis.command("HSET", layout.entryKey(KEYS.encode("user:700")), "not", "an entry");
      PendingBatch batch = sink.send(writes, Map.of(0, new OffsetMove(null, 2_000)), generation);
      assertThatThrownBy(batch::await).isInstanceOf(SinkUnavailableException.class).hasMessageContaining("WRONGTYPE");
      assertThat(sink.offsets()).as("no offset moved").isEmpty();
      assertThat(raw(layout, 499)).as("the first chunk applied").isNotNull();
      assertThat(raw(layout, 1_000)).as("the third chunk was refused").isNull();
      assertThat(raw(layout, 1_999)).as("the last chunk was refused").isNull();

      redis.command("DEL", layout.entryKey(KEYS.encode("user:700")));
      assertThat(sink.send(writes, Map.of(0, new OffsetMove(null, 2_000)), generation).await())
          .as("the replay writes what the failed chunks did not").isEqualTo(2_000 - 700);
      assertThat(sink.offsets()).containsExactly(Map.entry(0, 2_000L));
      assertThat(redis.command("HEXISTS", layout.metaKey(), "chunk:only")).as("the chain's record, once done")
          .isEqualTo("0");
      sink.close();
    }
  }

  @Test
  void aReplayedTruncateRemovesNothingAndARebuildStartsTheTopicAgain() {
    Namespace layout = Namespace.of("dc", "ftrunc");
    try (RedisTarget target = RedisTarget.of(RedisSettings.of(redis.uri()))) {
      NamespaceSink sink = new NamespaceSink(target, layout, "only", 1000, Duration.ofMinutes(5), true);
      sink.loadScripts();
      String generation = claim(sink, Duration.ofSeconds(30), "g1").generation();
      assertThat(sink.send(List.of(write(1, 0), write(2, 1)), Map.of(0, new OffsetMove(null, 2)), generation).await())
          .isEqualTo(2);
      assertThat(sink.truncate(generation, new OffsetMove(2L, 3), 0, "g2")).isZero();
      assertThat(raw(layout, 1)).isNull();
      assertThat(sink.send(List.of(write(3, 3)), Map.of(0, new OffsetMove(3L, 4)), "g2").await()).isEqualTo(1);

      // the same truncate again, as a replay after a crash would send it: the stored offset moved past it
      assertThat(sink.truncate("g2", new OffsetMove(2L, 3), 0, "g3")).isEqualTo(PendingBatch.OFFSETS_MOVED);
      assertThat(raw(layout, 3)).as("the row written after the truncate").isNotNull();

      SourceIdentity recreated = new SourceIdentity("topic-b", 2);
      assertThat(sink.rebuild("g2", "g4", recreated)).isZero();
      assertThat(raw(layout, 3)).isNull();
      assertThat(sink.offsets()).isEmpty();
      Claim claim = claim(sink, Duration.ofSeconds(30), "unused");
      assertThat(claim.generation()).isEqualTo("g4");
      assertThat(claim.source()).isEqualTo(recreated);
      sink.close();
    }
  }

  @Test
  void aBuildIsLoadedOnlyByItsWriterInSourceOrderAndSwitchedInOneStep() {
    Namespace layout = Namespace.of("dc", "fbuild");
    Build build = new Build("b1", "g0000abcd", "2");
    Namespace built = layout.inSpace(build.space());
    try (RedisTarget target = RedisTarget.of(RedisSettings.of(redis.uri()))) {
      NamespaceSink first = new NamespaceSink(target, layout, "first", 1000, Duration.ofMinutes(5), true);
      NamespaceSink second = new NamespaceSink(target, layout, "second", 1000, Duration.ofMinutes(5), true);
      first.loadScripts();
      Claim claimed = claim(first, Duration.ofMillis(500), "g1");
      assertThat(claimed.state().building()).as("a new namespace is built before edges read it").isTrue();
      assertThat(first.startBuild("g1", build, Map.of(), Duration.ofSeconds(10), TOPIC)).isZero();

      // a value, then its delete, then another key: each key ends with its last write in source order
      List<EntryWrite> batch = List.of(write(1, 0), new EntryWrite(KEYS.encode("user:1"), 1, Envelope.tombstone(1)
          .toBytes()), write(2, 2));
      assertThat(first.send(batch, Map.of(0, new OffsetMove(null, 3)), "g1", build).await()).isEqualTo(3);
      assertThat(Envelope.versionOf(rawBytes(built, 1))).isEqualTo(1);
      assertThat(rawBytes(built, 1)[0] & Envelope.TOMBSTONE).as("user 1 is deleted").isNotZero();
      assertThat(redis.command("PTTL", built.entryKey(KEYS.encode("user:1")))).as("tombstone TTL")
          .isNotEqualTo("-1");
      assertThat(raw(built, 2)).isNotNull();
      assertThat(raw(layout, 2)).as("the current generation").isNull();
      assertThat(first.buildOffsets()).isEqualTo(Map.of(0, 3L));

      // the writer falls silent and another instance takes over: the former one loads nothing more
      await().atMost(Duration.ofSeconds(5)).until(() -> claim(second, Duration.ofSeconds(5), "g2").held());
      assertThat(first.send(List.of(write(5, 3)), Map.of(0, new OffsetMove(3L, 4)), "g1", build).await())
          .isEqualTo(PendingBatch.FENCED);
      assertThat(raw(built, 5)).isNull();
      assertThat(second.send(List.of(write(5, 3)), Map.of(0, new OffsetMove(null, 4)), "g1", build).await())
          .as("a batch that does not start where the build stands").isEqualTo(PendingBatch.OFFSETS_MOVED);
      assertThat(second.send(List.of(write(5, 3)), Map.of(0, new OffsetMove(3L, 4)), "g1", build).await())
          .isEqualTo(1);
      assertThat(first.switchTo("g1", build, Map.of(0, 4L), Duration.ofSeconds(10)))
          .isEqualTo(PendingBatch.FENCED);

      assertThat(second.switchTo("g1", build, Map.of(0, 4L), Duration.ofSeconds(10))).isZero();
      String meta = layout.metaKey();
      assertThat(redis.command("HGET", meta, "generation")).isEqualTo("b1");
      assertThat(redis.command("HGET", meta, "space")).isEqualTo("g0000abcd");
      assertThat(redis.command("HGET", meta, "projection-version")).isEqualTo("2");
      assertThat(second.offsets()).isEqualTo(Map.of(0, 4L));
      assertThat(redis.command("HEXISTS", meta, "shadow")).isEqualTo("0");
      assertThat(redis.command("HEXISTS", meta, "state")).isEqualTo("0");
      assertThat(redis.command("XREVRANGE", layout.logKey(), "+", "-", "COUNT", "1"))
          .contains("g0000abcd").contains("b1");
      first.close();
      second.close();
    }
  }

  @Test
  void aGroupMemberThatLostAPartitionWritesNothingOfItAgain() {
    Namespace layout = Namespace.of("dc", "fgroup");
    try (RedisTarget target = RedisTarget.of(RedisSettings.of(redis.uri()))) {
      NamespaceSink first = new NamespaceSink(target, layout, "group:g", "first", 1000, Duration.ofMinutes(5), false);
      NamespaceSink second = new NamespaceSink(target, layout, "group:g", "second", 1000, Duration.ofMinutes(5), false);
      first.loadScripts();
      String generation = claim(first, Duration.ofSeconds(30), "g1").generation();
      assertThat(claim(second, Duration.ofSeconds(30), "g1").held()).as("the members share the group's claim").isTrue();
      Ownership owned = first.own(generation, List.of(0, 1), true, 1);
      assertThat(owned.offsets()).containsOnlyKeys(0, 1);
      assertThat(owned.lost()).isEmpty();
      assertThat(first.send(List.of(write(1, 0)), Map.of(0, new OffsetMove(null, 1)), generation).await()).isEqualTo(1);

      // the group gives partition 0 to the second member while the first is paused; its offset has not moved since
      assertThat(second.own(generation, List.of(0), true, 2).offsets()).containsEntry(0, 1L);
      assertThat(first.send(List.of(write(2, 1)), Map.of(0, new OffsetMove(1L, 2)), generation).await())
          .as("a batch of the former owner, resumed").isEqualTo(PendingBatch.OFFSETS_MOVED);
      assertThat(raw(layout, 2)).isNull();

      // the first member keeps the partition it still owns and learns that it lost the other
      Ownership kept = first.own(generation, List.of(0, 1), false, 1);
      assertThat(kept.lost()).containsExactly(0);
      assertThat(kept.offsets()).containsOnlyKeys(1);
      assertThat(first.owned()).containsExactly(1);
      // nor can it take the partition in the group generation it was paused in, before it could record the take
      assertThat(first.own(generation, List.of(0), true, 1).lost()).as("a take from an older group generation")
          .containsExactly(0);
      assertThat(first.owned()).containsExactly(1);
      assertThat(first.send(List.of(write(3, 0)), Map.of(1, new OffsetMove(null, 1)), generation).await()).isEqualTo(1);
      assertThat(first.send(List.of(write(2, 1)), Map.of(0, new OffsetMove(1L, 2)), generation).await())
          .isEqualTo(PendingBatch.OFFSETS_MOVED);
      assertThat(second.send(List.of(write(2, 1)), Map.of(0, new OffsetMove(1L, 2)), generation).await()).isEqualTo(1);

      // a member stopping gives the group's claim up for nobody: the other goes on writing
      first.release();
      assertThat(second.send(List.of(write(4, 2)), Map.of(0, new OffsetMove(2L, 3)), generation).await()).isEqualTo(1);
      first.close();
      second.close();
    }
  }

  @Test
  void anotherWriterTakingTheClaimOverStartsWithNoPartitionOwners() {
    Namespace layout = Namespace.of("dc", "fowners");
    try (RedisTarget target = RedisTarget.of(RedisSettings.of(redis.uri()))) {
      NamespaceSink member = new NamespaceSink(target, layout, "group:g", "member", 1000, Duration.ofMinutes(5), false);
      NamespaceSink connector = new NamespaceSink(target, layout, "connect:c", "task", 1000, Duration.ofMinutes(5),
          false);
      member.loadScripts();
      String generation = claim(member, Duration.ofMillis(300), "g1").generation();
      member.own(generation, List.of(0), true, 7);
      assertThat(redis.command("HGET", layout.metaKey(), "owner:0")).startsWith("member/7/");

      // the group stopped; once its claim lapsed, a connector (which knows no group generations) takes over
      await().atMost(Duration.ofSeconds(5)).until(() -> claim(connector, Duration.ofSeconds(30), "g2").held());
      assertThat(redis.command("HEXISTS", layout.metaKey(), "owner:0")).isEqualTo("0");
      assertThat(connector.own(generation, List.of(0), true, 0).lost()).isEmpty();
      assertThat(connector.send(List.of(write(1, 0)), Map.of(0, new OffsetMove(null, 1)), generation).await())
          .isEqualTo(1);
      member.close();
      connector.close();
    }
  }

  @Test
  void groupMembersChainTheirChunksApartWhileTheirBatchesInterleave() throws Exception {
    Namespace layout = Namespace.of("dc", "fchains");
    try (RedisTarget target = RedisTarget.of(RedisSettings.of(redis.uri()))) {
      NamespaceSink first = new NamespaceSink(target, layout, "group:g", "first", 1000, Duration.ofMinutes(5), false);
      NamespaceSink second = new NamespaceSink(target, layout, "group:g", "second", 1000, Duration.ofMinutes(5), false);
      first.loadScripts();
      String generation = claim(first, Duration.ofSeconds(30), "g1").generation();
      first.own(generation, List.of(0), true, 1);
      second.own(generation, List.of(1), true, 1);
      // batches of four chunks each, sent by both members at once, round after round: every chunk of each must
      // find its own member's chain, none another's
      for (int round = 0; round < 20; round++) {
        int from = round * 2_000;
        java.util.concurrent.CompletableFuture<Long> other = java.util.concurrent.CompletableFuture.supplyAsync(
            () -> second.send(batch(100_000 + from), Map.of(1, new OffsetMove(from == 0 ? null : (long) from,
                from + 2_000)), generation).await());
        long applied = first.send(batch(from), Map.of(0, new OffsetMove(from == 0 ? null : (long) from, from + 2_000)),
            generation).await();
        assertThat(applied).as("round %d, first member", round).isEqualTo(2_000);
        assertThat(other.get()).as("round %d, second member", round).isEqualTo(2_000);
      }
      assertThat(first.offsets()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 40_000L, 1, 40_000L));
      first.close();
      second.close();
    }
  }

  /** 2,000 writes of users {@code firstId} onwards, versions from 0: four chunks. */
  private static List<EntryWrite> batch(long firstId) {
    List<EntryWrite> writes = new ArrayList<>();
    for (long i = 0; i < 2_000; i++) {
      writes.add(write(firstId + i, i));
    }
    return writes;
  }

  private static Claim claim(NamespaceSink sink, Duration time, String candidate) {
    return sink.claim(time, candidate, "producer:test", "java.util.Map", TOPIC);
  }

  private static EntryWrite write(long id, long version) {
    return new EntryWrite(KEYS.encode("user:" + id), version,
        Envelope.of(CODEC.encode(Map.of("id", id)), version).toBytes());
  }

  private static byte[] rawBytes(Namespace layout, long id) {
    try (io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
        var connection = client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
      return connection.sync().get(layout.entryKey(KEYS.encode("user:" + id)).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String raw(Namespace layout, long id) {
    String value = redis.command("GET", layout.entryKey(KEYS.encode("user:" + id)));
    return value == null || value.isEmpty() ? null : value;
  }
}
