package io.distcache.jcache;

import static java.util.Objects.requireNonNull;

import io.distcache.jcache.coherence.FlushCause;
import io.distcache.jcache.redis.StoredEntry;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KeyEncoder;
import io.distcache.protocol.codec.ValueCodec;
import java.util.function.BiConsumer;

/** How a cache's snapshot ({@link NearSnapshots}) encodes its keys and values, and fills restored values. */
final class SnapshotEntries<K, V> implements NearSnapshots.Host<K> {

  private final KeyEncoder keys;
  private final CacheReads<K, V> reads;
  private final ValueCodec codec;
  private final BiConsumer<FlushCause, String> flush;

  /** {@code flush} drops the cache's whole near cache, for a cause and a reason to log. */
  SnapshotEntries(KeyEncoder keys, CacheReads<K, V> reads, ValueCodec codec, BiConsumer<FlushCause, String> flush) {
    this.keys = requireNonNull(keys, "keys");
    this.reads = requireNonNull(reads, "reads");
    this.codec = requireNonNull(codec, "codec");
    this.flush = requireNonNull(flush, "flush");
  }

  @Override
  public String encodeKey(K key) {
    return keys.encode(key);
  }

  @Override
  public K decodeKey(String encodedKey) {
    return reads.decodeKey(encodedKey);
  }

  @Override
  public byte[] envelopeOf(Object value, long version) {
    return Envelope.toBytes(codec.encode(value), version);
  }

  @Override
  public boolean restore(K key, StoredEntry entry, long ticket) {
    return reads.fill(key, entry, ticket) != null;
  }

  @Override
  public void flush(FlushCause cause, String reason) {
    flush.accept(cause, reason);
  }
}
