package io.distcache.jcache.coherence;

import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.EncodedValue;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.namespace.Namespace;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.HashMap;
import java.util.Map;

/**
 * A tool that writes a namespace's entries directly (envelopes with versions of its choosing) and
 * appends nothing to the change log: the writer client tracking exists for, a producer's first offset
 * (version 0), or another tool's bytes.
 */
public final class ForeignWriter implements AutoCloseable {

  private final KryoValueCodec codec = new KryoValueCodec(ClassAllowList.defaults(), 4096,
      ForeignWriter.class.getClassLoader());
  private final Namespace namespace;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;

  /** A writer of {@code namespace} (prefix {@code dc}) on the Redis at {@code redisUri}. */
  ForeignWriter(String redisUri, String namespace) {
    this(redisUri, "dc", namespace);
  }

  /** A writer of {@code namespace} under key prefix {@code prefix} on the Redis at {@code redisUri}. */
  public ForeignWriter(String redisUri, String prefix, String namespace) {
    this.namespace = Namespace.of(prefix, namespace);
    this.client = RedisClient.create(redisUri);
    this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
  }

  /** Sets the String key {@code key} to {@code value} at {@code version}. */
  public void write(String key, String value, long version) {
    write(key, codec.encode(value), version);
  }

  /** Sets the String key {@code key} to the bytes {@code value} at {@code version}, whatever they hold. */
  public void write(String key, EncodedValue value, long version) {
    connection.sync().set(namespace.entryKey("s:" + key), Envelope.of(value, version).toBytes());
  }

  /** Sets each String key of {@code values} to its value at {@code version}, in one {@code MSET}. */
  public void writeAll(Map<String, String> values, long version) {
    Map<String, byte[]> entries = new HashMap<>();
    values.forEach((key, value) -> entries.put(namespace.entryKey("s:" + key),
        Envelope.of(codec.encode(value), version).toBytes()));
    connection.sync().mset(entries);
  }

  /** Leaves a tombstone of the String key {@code key} at {@code version}, as a producer's delete does. */
  public void writeTombstone(String key, long version) {
    connection.sync().set(namespace.entryKey("s:" + key), Envelope.tombstone(version).toBytes());
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
