package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KeyEncoder;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.codec.ValueCodec;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a producer namespace straight from the shared Redis Cluster through a cluster client, decoding
 * entries as the provider does ({@link Envelope}, Kryo codec): tombstones and missing keys read as absent.
 */
final class ClusterNamespace implements NamespaceReader {

  private final RedisClusterClient client;
  private final StatefulRedisClusterConnection<String, byte[]> connection;
  private final Namespace namespace;
  private final ValueCodec codec = new KryoValueCodec(ClassAllowList.defaults(), 4096,
      ClusterNamespace.class.getClassLoader());
  private final KeyEncoder keys = new KeyEncoder(codec);

  ClusterNamespace(String namespace) {
    this.namespace = Namespace.of("dc", namespace);
    this.client = RedisClusterClient.create(Infra.cluster().uri());
    this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
  }

  /** The Redis key of user {@code id}'s entry. */
  String entryKey(long id) {
    return namespace.entryKey(encodedKey(id));
  }

  /** The stored envelope of user {@code id} (a tombstone included), or {@code null}. */
  byte[] raw(long id) {
    return redis().get(entryKey(id));
  }

  /** The next offset of a partition stored in the meta hash, 0 when none. */
  long storedOffset(int partition) {
    byte[] offset = redis().hget(namespace.metaKey(), "offset:" + partition);
    return offset == null ? 0 : Long.parseLong(new String(offset, StandardCharsets.US_ASCII));
  }

  /** The sum of the stored next offsets of partitions {@code 0 .. partitions - 1}. */
  long storedOffsets(int partitions) {
    long sum = 0;
    for (int partition = 0; partition < partitions; partition++) {
      sum += storedOffset(partition);
    }
    return sum;
  }

  /** The generation in the meta hash, or {@code null}. */
  String generation() {
    byte[] raw = redis().hget(namespace.metaKey(), "generation");
    return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
  }

  /** How many keys of the namespace's entries (tombstones included) a master holds itself. */
  long entriesOn(RedisServer master) {
    return Long.parseLong(master.command("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", namespace.entryPattern()));
  }

  /** The newest {@code count} change-log records as {@code <encoded key>@<version>}. */
  Set<String> newestLogRecords(int count) {
    Set<String> records = new HashSet<>();
    for (StreamMessage<String, byte[]> message : redis().xrevrange(namespace.logKey(), Range.create("-", "+"),
        Limit.from(count))) {
      records.add(new String(message.getBody().get("k"), StandardCharsets.UTF_8) + "@"
          + new String(message.getBody().get("v"), StandardCharsets.UTF_8));
    }
    return records;
  }

  /** The encoded cache key of user {@code id}, as change-log records name it. */
  String encodedKey(long id) {
    return keys.encode("user:" + id);
  }

  @Override
  public void assertEquals(Map<Long, Map<String, Object>> expected, Set<Long> ids) {
    List<Long> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += 1000) {
      List<Long> chunk = all.subList(from, Math.min(all.size(), from + 1000));
      Map<String, Long> idOf = new HashMap<>();
      chunk.forEach(id -> idOf.put(entryKey(id), id));
      // the advanced cluster API splits MGET by slot
      for (KeyValue<String, byte[]> entry : redis().mget(idOf.keySet().toArray(String[]::new))) {
        long id = idOf.get(entry.getKey());
        assertThat(decode(entry.getValueOrElse(null))).as("user:%d", id).isEqualTo(expected.get(id));
      }
    }
  }

  @Override
  public boolean matches(Map<Long, Map<String, Object>> expected, Set<Long> ids) {
    try {
      assertEquals(expected, ids);
      return true;
    } catch (AssertionError | RedisException e) {
      return false;
    }
  }

  private Object decode(byte[] raw) {
    if (raw == null) {
      return null;
    }
    Envelope envelope = Envelope.parse(raw);
    return envelope.isTombstone() ? null : codec.decode(envelope.flags(), envelope.payload());
  }

  private RedisAdvancedClusterCommands<String, byte[]> redis() {
    return connection.sync();
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
