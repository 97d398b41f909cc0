package io.distcache.jcache;

import io.distcache.jcache.configuration.CacheSettings;
import io.distcache.jcache.configuration.OnUndecodable;
import io.distcache.jcache.counters.CacheMetrics;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.near.NearEntry;
import io.distcache.jcache.redis.NamespaceStore;
import io.distcache.jcache.redis.StoredEntry;
import io.distcache.protocol.codec.CorruptValueException;
import io.distcache.protocol.codec.EncodedValue;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KeyEncoder;
import io.distcache.protocol.codec.ValueCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one cache reads its entries from Redis and keeps them near: the Redis read checked against what the near
 * cache knows (the master's answer when a replica trails), the decoding of keys and values, the fills of the near
 * cache, with instances (store by reference) or bytes (store by value), and remembered misses. A near hit is
 * served by the cache itself, without this class: a call less on the hottest path (measured).
 *
 * @param <K> the cache's key type
 * @param <V> the cache's value type
 */
final class CacheReads<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(CacheReads.class);

  private final String name;
  private final NamespaceStore store;
  private final NearCache<K> near;
  private final ValueCodec codec;
  private final KeyEncoder keys;
  private final CacheMetrics metrics;
  private final CacheSettings settings;
  private final boolean storeByValue;
  private final OnUndecodable onUndecodable;
  /** The classes of undecodable values already logged. */
  private final Set<String> undecodableClasses = ConcurrentHashMap.newKeySet();

  /**
   * Wires the reads of a cache.
   *
   * @param name the cache's name, for log lines
   * @param storeByValue whether the near cache keeps bytes (every hit decodes a copy) rather than instances
   * @param onUndecodable whether a value that cannot be decoded is a miss or an exception
   */
  CacheReads(String name, NamespaceStore store, NearCache<K> near, ValueCodec codec, KeyEncoder keys,
      CacheMetrics metrics, CacheSettings settings, boolean storeByValue,
      OnUndecodable onUndecodable) {
    this.name = Objects.requireNonNull(name, "name");
    this.store = Objects.requireNonNull(store, "store");
    this.near = Objects.requireNonNull(near, "near");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.storeByValue = storeByValue;
    this.onUndecodable = Objects.requireNonNull(onUndecodable, "onUndecodable");
  }

  /**
   * Remembers that Redis held no live entry for the key (negative caching, when on for this cache), unless
   * something the near cache learnt since {@code ticket} says otherwise.
   *
   * @return {@code null}, the value of an absent key
   */
  V rememberAbsence(K key, StoredEntry stored, long ticket) {
    if (settings.near().negativeCaching().remembersMisses(store.isProducerOwned())) {
      long version = stored.envelope() == null ? NearEntry.Absent.NO_KEY : stored.version();
      near.fillAbsent(nearKey(key), version, ticket, stored.space());
    }
    return null;
  }

  /**
   * Reads an entry from the read-from node, or once more from the master when that answer is older than
   * what this cache knows of the key (a replica trailing the master): no read returns a version older than
   * one this CacheManager wrote or was told of.
   */
  StoredEntry readCurrent(K key, String encodedKey, boolean withTtl) {
    StoredEntry stored = store.read(encodedKey, withTtl);
    long known = near.outdatingVersion(key, stored.isLive(), stored.version());
    if (known == NearCache.UP_TO_DATE) {
      return stored;
    }
    metrics.countStaleReplicaReads(1);
    return confirmed(key, store.readFromMaster(encodedKey, withTtl), known);
  }

  /**
   * {@link #readCurrent} for many keys: the outdated answers are read again from the master in one round
   * trip. A {@code null} key (one this JVM cannot decode) cannot be known, so its answer is taken as it is.
   */
  List<StoredEntry> readAllCurrent(List<K> keyList, List<String> encodedKeys, boolean withTtl) {
    List<StoredEntry> stored = new ArrayList<>(store.readAll(encodedKeys, withTtl));
    List<Integer> outdated = new ArrayList<>();
    List<Long> knownVersions = new ArrayList<>();
    for (int i = 0; i < stored.size(); i++) {
      if (keyList.get(i) == null) {
        continue;
      }
      long known = near.outdatingVersion(keyList.get(i), stored.get(i).isLive(), stored.get(i).version());
      if (known != NearCache.UP_TO_DATE) {
        outdated.add(i);
        knownVersions.add(known);
      }
    }
    if (outdated.isEmpty()) {
      return stored;
    }
    metrics.countStaleReplicaReads(outdated.size());
    List<StoredEntry> fromMaster = store.readAllFromMaster(outdated.stream().map(encodedKeys::get).toList(), withTtl);
    for (int j = 0; j < outdated.size(); j++) {
      int i = outdated.get(j);
      stored.set(i, confirmed(keyList.get(i), fromMaster.get(j), knownVersions.get(j)));
    }
    return stored;
  }

  /** The master's answer for a key whose replica answer was older than {@code knownVersion}. */
  private StoredEntry confirmed(K key, StoredEntry fromMaster, long knownVersion) {
    if (!fromMaster.isLive()) {
      near.confirmAbsent(key, knownVersion);
    }
    return fromMaster;
  }

  /**
   * Decodes a value read from Redis for the caller and caches it near (when the near cache keeps
   * values), unless something the near cache learnt since {@code ticket}, read before the Redis read,
   * makes it outdated. An undecodable value is {@code null} (a miss) and drops any older near copy.
   */
  V fill(K key, StoredEntry stored, long ticket) {
    V value = decode(stored.envelope());
    if (value == null) {
      near.invalidate(key, stored.version());
      return null;
    }
    fillNear(key, stored, value, ticket);
    return value;
  }

  /**
   * Caches near the value {@code value} decoded from {@code stored}: its bytes when storing by value (every hit then
   * decodes a copy), else the instance itself.
   *
   * @return whether the near cache took it
   */
  boolean fillNear(K key, StoredEntry stored, V value, long ticket) {
    if (!near.keepsValues()) {
      return false;
    }
    if (!storeByValue) {
      return near.fill(key, value, stored.version(), stored.ttlMillis(), stored.envelope().length, ticket,
          stored.space());
    }
    byte[] bytes = nearBytes(stored.envelope(), value, stored.version());
    if (bytes == null) {
      near.invalidate(key, stored.version());
      return false;
    }
    return near.fillEncoded(nearKey(key), bytes, codec, stored.version(), stored.ttlMillis(), ticket, stored.space());
  }

  /** Caches near a value this cache just wrote: its bytes when storing by value, else the instance itself. */
  void fillWritten(K key, V value, EncodedValue encoded, long version, long ttlMillis) {
    if (!near.keepsValues()) {
      return;
    }
    // Written on the master just now: whatever a reset or tracking invalidation distrusted, this value is current.
    long ticket = near.ticket();
    // Only edge namespaces are written here, and only a producer moves a namespace to another key space.
    Object space = store.namespace();
    if (storeByValue) {
      byte[] bytes = nearBytes(Envelope.toBytes(encoded, version), value, version);
      if (bytes == null) {
        near.invalidate(key, version);
      } else {
        near.fillEncoded(nearKey(key), bytes, codec, version, ttlMillis, ticket, space);
      }
    } else {
      near.fill(key, value, version, ttlMillis, encoded.payload().length + Envelope.HEADER_LENGTH, ticket, space);
    }
  }

  /**
   * The bytes a by-value near cache keeps for a value: the stored ones when they are already in the codec's
   * fastest local form, else the value encoded in it (one encode per fill, so that no hit pays for the
   * compatible format's field names). {@code null} when it cannot be encoded locally: then nothing is kept.
   */
  private byte[] nearBytes(byte[] envelope, V value, long version) {
    if (codec.isLocal(Envelope.flagsOf(envelope), value)) {
      return envelope;
    }
    try {
      return Envelope.toBytes(codec.encodeLocal(value), version);
    } catch (RuntimeException e) {
      // Redis holds the value already (or the caller has it decoded): only the near copy is given up.
      LOG.debug("cache '{}': no near copy of a value ({})", name, e.toString());
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private K nearKey(K key) {
    return storeByValue ? (K) codec.copy(key) : key;
  }

  /**
   * The value of a stored envelope. Storing by reference, the near cache's instance is the value
   * itself when it reflects the same version, so callers get back the very object they put.
   */
  V valueOf(K key, byte[] envelopeBytes) {
    return valueOf(storeByValue ? null : near.get(key, store.namespace()), envelopeBytes);
  }

  /**
   * The value of a stored envelope, given the near entry read before the write that returned it
   * (after the write, this manager's own change-log record may already have replaced that entry).
   */
  @SuppressWarnings("unchecked")
  V valueOf(NearEntry.Present cachedBefore, byte[] envelopeBytes) {
    if (!storeByValue && cachedBefore != null && cachedBefore.version() == Envelope.versionOf(envelopeBytes)) {
      return (V) cachedBefore.value();
    }
    return decode(envelopeBytes);
  }

  /**
   * The value of a stored envelope; {@code null} when it cannot be decoded and {@code codec.on-undecodable}
   * is {@code miss} (counted, and logged once per class).
   */
  @SuppressWarnings("unchecked")
  V decode(byte[] envelopeBytes) {
    try {
      return (V) Envelope.decodeValue(envelopeBytes, codec);
    } catch (CorruptValueException e) {
      if (onUndecodable == OnUndecodable.FAIL) {
        throw e;
      }
      metrics.countUndecodableValue();
      String valueClass = e.valueClass() == null ? "(class not named in the bytes)" : e.valueClass();
      if (undecodableClasses.add(valueClass)) {
        LOG.warn("cache '{}' (namespace {}): a stored value of {} cannot be decoded, so it is read as a miss (logged"
            + " once per class; counted in distcache.codec.undecodable). It was probably written by another version"
            + " of the class, by another tool, or damaged: deploy compatible classes, evict or rebuild the"
            + " namespace, or set codec.on-undecodable=fail to get the exception. {}", name, store.namespace(),
            valueClass, e.getMessage());
      }
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  K decodeKey(String encodedKey) {
    return (K) keys.decode(encodedKey);
  }

  /** The key, or {@code null} when this JVM cannot decode it (then it cannot be in the near cache either). */
  K decodeKeyOrNull(String encodedKey) {
    try {
      return decodeKey(encodedKey);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
