package io.distcache.jcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.configuration.ProviderSettings;
import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.jcache.configuration.SettingsLoader;
import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.EncodedValue;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The namespace store against a real redis-server: versions, the change log each write appends to, conditional
 * writes, reads in order, clear and the generation.
 */
class NamespaceStoreTest {

  @StartedRedis
  private RedisServer redis;
  private RedisConnections connections;
  private NamespaceStore store;
  private final Namespace namespace = Namespace.of("store-test", "ns");
  private final KryoValueCodec codec = new KryoValueCodec(ClassAllowList.defaults(), 4096,
      NamespaceStoreTest.class.getClassLoader());

  @BeforeEach
  void connect() {
    ProviderSettings settings = SettingsLoader.load(URI.create(redis.uri()), getClass().getClassLoader(),
        new Properties(), Map.of(), new Properties());
    connections = new RedisConnections(settings);
    store = new NamespaceStore(connections, namespace, ReadFrom.MASTER, Duration.ofSeconds(2), 1000, "test",
        Duration.ofSeconds(2));
  }

  @AfterEach
  void disconnect() {
    connections.close();
  }

  private EncodedValue value(String text) {
    return codec.encode(text);
  }

  private String valueOf(StoredEntry entry) {
    return (String) Envelope.decodeValue(entry.envelope(), codec);
  }

  private List<String> logged() {
    String reply = redis.command("EVAL", "local out = {} for _, record in ipairs(redis.call('XRANGE', KEYS[1], '-',"
        + " '+')) do table.insert(out, record[2][2] .. '@' .. record[2][4]) end return table.concat(out, ' ')", "1",
        namespace.logKey());
    return reply.isEmpty() ? List.of() : List.of(reply.split(" "));
  }

  @Test
  void eachWriteGetsTheNextVersionAndLogsItsKeyWithIt() {
    Mutation.Result first = store.mutate(Mutation.set("s:a", value("one"), Mutation.KEEP_TTL, false));
    Mutation.Result second = store.mutate(Mutation.set("s:a", value("two"), Mutation.KEEP_TTL, true));

    assertThat(first.applied()).isTrue();
    assertThat(second.version()).isGreaterThan(first.version());
    assertThat(second.existed()).isTrue();
    assertThat((String) Envelope.decodeValue(second.previous(), codec)).isEqualTo("one");
    StoredEntry stored = store.read("s:a", false);
    assertThat(stored.version()).isEqualTo(second.version());
    assertThat(valueOf(stored)).isEqualTo("two");
    assertThat(logged()).containsExactly("s:a@" + first.version(), "s:a@" + second.version());
  }

  @Test
  void aWriteExpectingAnOlderVersionIsRefusedWithTheCurrentOneAndLogsNothing() {
    long v1 = store.mutate(Mutation.set("s:a", value("one"), Mutation.KEEP_TTL, false)).version();
    long v2 = store.mutate(Mutation.set("s:a", value("two"), Mutation.KEEP_TTL, false)).version();

    Mutation.Result stale = store.mutate(Mutation.set("s:a", value("lost update"), Mutation.KEEP_TTL, false)
        .ifVersion(v1));

    assertThat(stale.applied()).isFalse();
    assertThat(stale.version()).isEqualTo(v2);
    assertThat(valueOf(store.read("s:a", false))).isEqualTo("two");
    assertThat(logged()).hasSize(2);
  }

  @Test
  void ifAbsentWritesOnlyWhereNoLiveEntryIs() {
    assertThat(store.mutate(Mutation.set("s:a", value("first"), Mutation.KEEP_TTL, false).ifAbsent()).applied())
        .isTrue();
    Mutation.Result again = store.mutate(Mutation.set("s:a", value("second"), Mutation.KEEP_TTL, false).ifAbsent());

    assertThat(again.applied()).isFalse();
    assertThat(valueOf(store.read("s:a", false))).isEqualTo("first");
  }

  @Test
  void aDeleteLeavesNoLiveEntryAndIsLogged() {
    store.mutate(Mutation.set("s:a", value("one"), Mutation.KEEP_TTL, false));

    Mutation.Result deleted = store.mutate(Mutation.delete("s:a", true));

    assertThat(deleted.applied()).isTrue();
    assertThat((String) Envelope.decodeValue(deleted.previous(), codec)).isEqualTo("one");
    assertThat(store.read("s:a", false).isLive()).isFalse();
    assertThat(logged()).last().isEqualTo("s:a@" + deleted.version());
  }

  @Test
  void batchedWritesAndReadsKeepTheCallersOrder() {
    List<Mutation.Result> results = store.mutateAll(List.of(
        Mutation.set("s:c", value("3"), Mutation.KEEP_TTL, false),
        Mutation.set("s:a", value("1"), Mutation.KEEP_TTL, false)));
    assertThat(results).allSatisfy(result -> assertThat(result.applied()).isTrue());
    assertThat(results.get(1).version()).isGreaterThan(results.get(0).version());

    List<StoredEntry> read = store.readAll(List.of("s:a", "s:missing", "s:c"), false);

    assertThat(read).extracting(StoredEntry::isLive).containsExactly(true, false, true);
    assertThat(valueOf(read.get(0))).isEqualTo("1");
    assertThat(valueOf(read.get(2))).isEqualTo("3");
  }

  @Test
  void clearUnlinksEveryEntryAndLogsOneClearRecordAboveTheirVersions() {
    long newest = 0;
    for (String key : List.of("s:a", "s:b", "s:c")) {
      newest = store.mutate(Mutation.set(key, value(key), Mutation.KEEP_TTL, false)).version();
    }

    long cleared = store.clear(2);

    assertThat(cleared).isGreaterThan(newest);
    assertThat(store.scan(null, 100).encodedKeys()).isEmpty();
    assertThat(logged()).last().isEqualTo(Namespace.CLEAR_MARKER + "@" + cleared);
  }

  @Test
  void theLastLogIdIsTheNewestRecordsOrTheStartOfAnEmptyLog() {
    assertThat(store.lastLogId()).isEqualTo("0-0");

    store.mutate(Mutation.set("s:a", value("one"), Mutation.KEEP_TTL, false));

    String newest = redis.command("EVAL", "return redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1][1]", "1",
        namespace.logKey());
    assertThat(store.lastLogId()).isEqualTo(newest);
  }

  @Test
  void theGenerationIsMadeOnceAndANewOneAfterTheMetaHashIsLost() {
    String generation = store.generation();
    assertThat(store.generation()).isEqualTo(generation);

    redis.command("DEL", namespace.metaKey());

    assertThat(store.generation()).isNotEqualTo(generation).isNotNull();
  }
}
