package io.distcache.benchmarks.peer;

import io.distcache.benchmarks.data.Dataset;
import io.distcache.benchmarks.data.Payload;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline client: one Lettuce connection used synchronously (shared by all benchmark threads, as
 * Lettuce recommends), values in {@link PlainKryo} form under keys of their own ({@code raw:<key>}).
 */
public final class RawRedis implements AutoCloseable {

  private static final String PREFIX = "raw:";
  private static final int LOAD_BATCH = 1_000;

  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisCommands<String, byte[]> commands;
  private final PlainKryo kryo = new PlainKryo();

  /** Connects to the run's Redis. */
  public RawRedis() {
    this.client = RedisClient.create(RedisEndpoint.uri());
    this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    this.commands = connection.sync();
  }

  /** Writes every entry of the data set with MSET batches. */
  public RawRedis load() {
    Map<String, byte[]> batch = new HashMap<>();
    for (int i = 0; i < Dataset.SIZE; i++) {
      batch.put(PREFIX + Dataset.key(i), kryo.encode(Dataset.value(i)));
      if (batch.size() == LOAD_BATCH) {
        commands.mset(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      commands.mset(batch);
    }
    return this;
  }

  /** GET and decode. */
  public Payload get(String key) {
    return (Payload) kryo.decode(commands.get(PREFIX + key));
  }

  /** One MGET for all keys, each value decoded. */
  public List<Payload> multiGet(String[] keys) {
    String[] redisKeys = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      redisKeys[i] = PREFIX + keys[i];
    }
    List<KeyValue<String, byte[]>> replies = commands.mget(redisKeys);
    List<Payload> values = new ArrayList<>(replies.size());
    for (KeyValue<String, byte[]> reply : replies) {
      values.add(reply.hasValue() ? (Payload) kryo.decode(reply.getValue()) : null);
    }
    return values;
  }

  /** Encode and SET. */
  public void set(String key, Payload value) {
    commands.set(PREFIX + key, kryo.encode(value));
  }

  /** How many times Redis has run {@code command} since it started (INFO commandstats). */
  public long calls(String command) {
    String info = commands.info("commandstats");
    String prefix = "cmdstat_" + command + ":calls=";
    for (String line : info.split("\\R")) {
      if (line.startsWith(prefix)) {
        int end = line.indexOf(',', prefix.length());
        return Long.parseLong(line.substring(prefix.length(), end < 0 ? line.length() : end));
      }
    }
    return 0;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
