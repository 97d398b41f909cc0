package io.distcache.jcache.configuration;

import io.distcache.protocol.codec.CodecFormat;
import io.distcache.protocol.settings.Quantities;
import io.distcache.protocol.settings.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Every key of the provider's configuration, in one place: its default, parser and documentation, and by the list
 * it is in, its scope ({@link #NAMESPACE} is per cache only). The loader reads values through it
 * ({@link SettingsLoader}), the built-in defaults come from it ({@link ProviderSettings#builtIn()},
 * {@link CacheSettings#defaults()}), and the tables of docs/configuration.md are generated from it (by
 * {@code ConfigurationReferenceTest}). A new key starts as a row here, in the list of its scope; then it
 * needs a field in the settings record it belongs to, a line in {@link SettingsLoader}, and a property of the Spring
 * Boot starter's {@code DistCacheProperties}.
 */
final class SettingsTable {

  /** With {@code redis.cluster=true}, {@link SettingsLoader} reads it with {@code ValueParsers::redisClusterUri}. */
  static final Setting<String> REDIS_URI = Setting.withDefault("redis.uri", "redis://127.0.0.1:6379",
      ValueParsers::redisUri,
      "The Redis deployment: master (`redis://`, TLS `rediss://`) or Sentinel "
      + "(`redis-sentinel://[password@]h1:26379,h2:26379[/db]#masterId`); with `redis.cluster=true`, seed nodes of "
      + "a Redis Cluster (`redis://[user:password@]h1:7000,h2:7001`, every node gets the credentials). Password "
      + "allowed; it is masked in logs and messages.",
      "rediss://app:s3cret@redis.internal:6380/0");

  static final Setting<Boolean> REDIS_CLUSTER = Setting.withDefault("redis.cluster", "false",
      ValueParsers::bool,
      "`true` when `redis.uri` names nodes of a Redis Cluster (see [operations.md](operations.md#topologies)); "
      + "the client discovers the other nodes. Not with Sentinel URIs.",
      "true");

  static final Setting<List<String>> REDIS_REPLICAS = Setting.withoutDefault("redis.replicas", List.of(),
      "*(empty: discover the master's replicas)*", text -> ValueParsers.list(text, ValueParsers::redisNodeUri),
      "Explicit replica nodes to read from, comma-separated `redis://`/`rediss://` URIs. Lettuce then asks each "
      + "listed node for its `ROLE`, so an ACL user needs `+role` too (see [security.md](security.md)).",
      "redis://r1:6379,redis://r2:6379");

  static final Setting<String> REDIS_KEY_PREFIX = Setting.withDefault("redis.key-prefix", "dc",
      ValueParsers::keyPrefix,
      "Prefix of every Redis key of the deployment (shared with the producer). No blanks, no `{` `}` (they would "
      + "create a cluster hash tag).",
      "shop");

  static final Setting<Duration> REDIS_CONNECT_TIMEOUT = Setting.withDefault("redis.connect-timeout",
      "2s", Quantities::positiveDuration,
      "How long establishing a Redis connection may take; > 0.",
      "5s");

  static final Setting<String> REDIS_TRUST_STORE = Setting.withoutDefault("redis.tls.trust-store", null,
      "*(JVM default trust)*", ValueParsers::nonBlank,
      "Trust store with the CA of a `rediss://` server; warned about if the URI does not use TLS.",
      "/etc/distcache/ca.p12");

  static final Setting<String> REDIS_TRUST_STORE_PASSWORD = Setting.withoutDefault("redis.tls.trust-store-password",
      null, "*(none)*", Function.identity(),
      "Password of the trust store; requires `redis.tls.trust-store`; kept verbatim, never shown.",
      "changeit");

  static final Setting<Long> CHANGE_LOG_MAX_LENGTH = Setting.withDefault("change-log.max-length",
      "100000", ValueParsers::positiveLong,
      "Approximate cap (`XADD MAXLEN ~`) of each namespace's change-log stream; > 0.",
      "500000");

  static final Setting<List<String>> CODEC_ALLOWED_PACKAGES = Setting.withoutDefault("codec.allowed-packages",
      List.of(), "*(none)*", text -> ValueParsers.list(text, ValueParsers::packageName),
      "Packages whose classes the Kryo codec may instantiate, besides JDK value types.",
      "com.acme.model,com.acme.billing");

  static final Setting<List<String>> CODEC_ALLOWED_CLASSES = Setting.withoutDefault("codec.allowed-classes",
      List.of(), "*(none)*", text -> ValueParsers.list(text, ValueParsers::className),
      "Individual classes the Kryo codec may instantiate.",
      "com.acme.Money,com.acme.Outer$Inner");

  static final Setting<CodecFormat> CODEC_FORMAT = Setting.withDefault("codec.format", "compatible",
      CodecFormat::parse,
      "How values' fields are written (see \"Rolling upgrades and class changes\"): `compatible` writes fields and "
      + "record components by name, so versions of a class with fields added or removed read each other's values; "
      + "`positional` writes them by position (smaller, no class change tolerated; what releases before "
      + "`compatible` wrote). Both formats are always read. Keys are always positional.",
      "positional");

  static final Setting<Integer> CODEC_MAX_DEPTH = Setting.withDefault("codec.max-depth", "100",
      ValueParsers::positiveInt,
      "Deepest nesting of objects a decoded value may have (Kryo and Java-serialized parts alike); deeper bytes "
      + "are refused with `CorruptValueException` instead of overflowing a reader's stack. Declared lengths of "
      + "strings, arrays, collections and maps are always checked against the bytes that remain, before anything is "
      + "allocated.",
      "500");

  static final Setting<Integer> CODEC_MAX_DECODED_SIZE = Setting.withDefault("codec.max-decoded-size",
      "64MiB", ValueParsers::positiveIntByteSize,
      "Most bytes a compressed value may decompress to (an LZ4 bomb is refused before it is inflated); size "
      + "syntax, ≥ 1 byte.",
      "256MiB");

  static final Setting<OnUndecodable> CODEC_ON_UNDECODABLE = Setting.withDefault("codec.on-undecodable",
      "miss", OnUndecodable::parse,
      "What a read does with a stored value this JVM cannot decode (another version of its class, another tool's "
      + "bytes, damage): `miss` reads it as absent (a read-through cache loads the key and the loaded value "
      + "replaces it; conditional writes see no entry and replace exactly that one), counts it in "
      + "`distcache.codec.undecodable` and logs a WARN once per class; `fail` throws `CorruptValueException`. A "
      + "class outside the allow-list is always refused with `ClassNotAllowedException`.",
      "fail");

  static final Setting<Duration> OUTAGE_STALE_ON_FAILURE = Setting.withDefault("outage.stale-on-failure",
      "10m", Quantities::positiveDuration,
      "How long after Redis became unreachable near-cache hits are still served; then reads fail like misses.",
      "outage.stale-on-failure=1h");

  static final Setting<Duration> OUTAGE_RETRY_INTERVAL = Setting.withDefault("outage.retry-interval",
      "1s", Quantities::positiveDuration,
      "How long the circuit breaker stays open before one call probes Redis again (the change-log follower also "
      + "probes every 250 ms).",
      "500ms");

  static final Setting<Integer> OUTAGE_FAILURE_THRESHOLD = Setting.withDefault("outage.failure-threshold",
      "2", ValueParsers::positiveInt,
      "Consecutive unavailable calls (timeout, refused, disconnected) that open the breaker.",
      "3");

  static final Setting<Duration> OUTAGE_REPLICA_MAX_LAG = Setting.withDefault("outage.replica-max-lag",
      "2s", Quantities::positiveDuration,
      "How far a replica may trail the heartbeat before reads move to the master. A new cache that reads replicas "
      + "also replays this much of its change log, plus 3 s (the time the lag check may take to notice a replica "
      + "trailing further), before it fills its near cache; a second cache over a namespace its CacheManager "
      + "already follows reads the master for as long instead, as a cache does after a flush.",
      "5s");

  static final Setting<Duration> CONTENTION_LEASE_TIME = Setting.withDefault("contention.lease-time",
      "10s", Quantities::positiveDuration,
      "How long a per-key lease lives without renewal; the holder renews it every third of this while it works, "
      + "so it only runs out when the holder stops (see [consistency.md](consistency.md), \"Contention\"). ≥ 3 ms.",
      "30s");

  static final Setting<Duration> CONTENTION_LEASE_WAIT = Setting.withDefault("contention.lease-wait",
      "30s", Quantities::positiveDuration,
      "How long an operation waits for another holder's lease before it fails with `ContentionException`; best "
      + "longer than `contention.lease-time`, so a crashed holder's lease runs out first.",
      "5s");

  static final Setting<Integer> CONTENTION_MAX_ATTEMPTS = Setting.withDefault("contention.max-attempts",
      "100", ValueParsers::positiveInt,
      "Compare-and-set tries of an unleased write before it fails with `ContentionException`; ≥ 1.",
      "1000");

  static final Setting<Duration> CONTENTION_MAX_BACKOFF = Setting.withDefault("contention.max-backoff",
      "20ms", Quantities::positiveDuration,
      "Longest pause between two tries or lease polls; pauses grow from 100 µs, each drawn between half and all "
      + "of its bound (a failed compare-and-set is first tried again at once twice).",
      "5ms");

  static final Setting<List<String>> TRACKING_NAMESPACES = Setting.withoutDefault("tracking.namespaces",
      List.of(), "*(none)*", text -> ValueParsers.list(text, ValueParsers::namespace),
      "Namespaces written by tools that do not append to the change log: near copies are dropped through Redis "
      + "client tracking (RESP3 `CLIENT TRACKING ON BCAST PREFIX`).",
      "legacy-prices");

  static final Setting<String> NAMESPACE = Setting.withoutDefault("namespace", null,
      "*(derived from the cache name)*", ValueParsers::namespace,
      "Redis namespace the cache reads/writes, e.g. one a producer fills. Letters, digits, `. _ - %`.",
      "cache[users].namespace=users-v2");

  static final Setting<Long> NEAR_MAX_ITEMS = Setting.withDefault("near.max-items", "10000",
      ValueParsers::nonNegativeLong,
      "Most entries in the in-JVM near cache; `0` keeps none (every read goes to Redis).",
      "defaults.near.max-items=50000");

  static final Setting<Long> NEAR_MAX_BYTES = Setting.withDefault("near.max-bytes", "64MiB",
      Quantities::byteSize,
      "Most serialized bytes in the near cache; ≥ 0.",
      "cache[users].near.max-bytes=256MiB");

  static final Setting<Duration> NEAR_MAX_TTL = Setting.withDefault("near.max-ttl", "10m",
      Quantities::positiveDuration,
      "Longest life of a near entry even without invalidation (safety net); > 0. An expired entry is not served; "
      + "without a JCache expiry policy, expired entries are swept every `near.max-ttl` (at most a minute apart, at "
      + "least a second).",
      "defaults.near.max-ttl=5m");

  static final Setting<NegativeCaching> NEAR_NEGATIVE_CACHING = Setting.withDefault("near.negative-caching",
      "auto", NegativeCaching::parse,
      "Whether a miss Redis confirmed is remembered, so that looking the absent key up again sends Redis nothing; "
      + "the key's next change-log record drops it like any near value. `auto` is on for namespaces a producer owns "
      + "(lookups of keys the source lacks are common there), off otherwise; `on`; `off`. A remembered miss takes a "
      + "near-cache place like a value and is served within `outage.stale-on-failure` during an outage.",
      "cache[users].near.negative-caching=on");

  static final Setting<Preload> NEAR_PRELOAD = Setting.withDefault("near.preload", "none", Preload::parse,
      "`all` streams the whole namespace into the near cache when the cache starts (`SCAN` + `MGET`, 4,000 keys a "
      + "page; one thread reads the next pages while another decodes and fills), until it is read or the near cache "
      + "is full (`near.max-items`, `near.max-bytes`). The change log is followed from an id read before the scan, "
      + "so nothing written during it is missed. A preload starts once the change log's replay has been handed over "
      + "(for a cache created while Redis did not answer: once Redis answers and the log is read to its end), and "
      + "scans again every second if Redis stops answering; a flush that leaves the near cache empty for good (a "
      + "log gap, a data loss, a producer's switch) loads the namespace again, and so does every `near.max-ttl`, "
      + "when what it loaded expires. Progress: INFO log lines, `distcache.near.preload.entries`, "
      + "`distcache.near.preload.running`.",
      "cache[countries].near.preload=all");

  static final Setting<Duration> NEAR_PRELOAD_WAIT = Setting.withDefault("near.preload-wait", "0",
      Quantities::nonNegativeDuration,
      "How long creating the cache (or the CacheManager, for declared caches) waits for the preload to end; `0` "
      + "returns at once, and reads of keys not loaded yet go to Redis meanwhile.",
      "cache[countries].near.preload-wait=30s");

  static final Setting<Path> NEAR_SNAPSHOT_DIR = Setting.withoutDefault("near.snapshot-dir", null,
      "*(none: no snapshot)*", ValueParsers::directory,
      "Directory of the cache's near-cache snapshot, `<cache name>.snapshot` (URL-encoded name): its values with "
      + "their versions, the change-log id and the generation they reflect. Written every `near.snapshot-interval` "
      + "and when the cache closes, to a temporary file then renamed (a reader finds the old or the new one whole), "
      + "only while Redis is reachable. A CacheManager that starts while Redis does not answer serves the snapshot "
      + "if it is younger than `outage.stale-on-failure`, and drops it at `outage.stale-on-failure` after the "
      + "snapshot's time if Redis still does not answer; once Redis answers, the cache resumes the change log from "
      + "the snapshot's id (an exact repair), or flushes if the log no longer holds that id or the generation "
      + "changed. A damaged, cut-short or foreign file is ignored with a WARN line. Give every JVM on a host a "
      + "directory of its own.",
      "defaults.near.snapshot-dir=/var/lib/app/distcache");

  static final Setting<Duration> NEAR_SNAPSHOT_INTERVAL = Setting.withDefault("near.snapshot-interval",
      "1m", Quantities::positiveDuration,
      "How often the snapshot is written; > 0.",
      "cache[countries].near.snapshot-interval=30s");

  static final Setting<ReadFrom> READ_FROM = Setting.withDefault("read-from", "replicaPreferred",
      ReadFrom::parse,
      "Nodes serving misses: `master`, `replica`, `replicaPreferred` (also `replica-preferred`), any case.",
      "cache[com.acme.Author].read-from=master");

  static final Setting<String> CODEC = Setting.withDefault("codec", "kryo", ValueParsers::codec,
      "Value codec; only `kryo` exists.",
      "defaults.codec=kryo");

  static final Setting<Integer> COMPRESSION_THRESHOLD = Setting.withDefault("compression-threshold",
      "4096", Quantities::intByteSize,
      "Serialized values of at least this many bytes are LZ4-compressed; `0` compresses all; size syntax, ≤ 2 "
      + "GiB−1.",
      "defaults.compression-threshold=8KiB");

  static final Setting<Duration> COMMAND_TIMEOUT = Setting.withDefault("command-timeout", "2s",
      Quantities::positiveDuration,
      "Time one Redis command may take before the cache operation fails; > 0. `createCache` also waits up to this "
      + "long for the change-log replay of a cache that reads replicas (it then fills its near cache only once the "
      + "replay ends).",
      "defaults.command-timeout=500ms");

  static final Setting<Boolean> STORE_BY_VALUE = Setting.withDefault("store-by-value", "true",
      ValueParsers::bool,
      "JSR-107 store-by-value (near cache hands out copies).",
      "cache[users].store-by-value=false");

  static final Setting<Boolean> STATISTICS = Setting.withDefault("statistics", "false", ValueParsers::bool,
      "JSR-107 statistics.",
      "defaults.statistics=true");

  static final Setting<Boolean> MANAGEMENT = Setting.withDefault("management", "false", ValueParsers::bool,
      "JSR-107 configuration MXBean.",
      "cache[users].management=true");

  static final Setting<String> KEY_TYPE = Setting.withDefault("key-type", "java.lang.Object",
      ValueParsers::className,
      "Fully qualified key class of a declared cache.",
      "cache[users].key-type=java.lang.String");

  static final Setting<String> VALUE_TYPE = Setting.withDefault("value-type", "java.lang.Object",
      ValueParsers::className,
      "Fully qualified value class of a declared cache.",
      "cache[users].value-type=com.acme.User");

  static final Setting<LeaseScope> LEASE = Setting.withDefault("lease", "auto", LeaseScope::parse,
      "Which operations take the per-key lease across CacheManagers (see [consistency.md](consistency.md), "
      + "\"Contention\"): `auto` the writes of write-through caches, `writes` every write and `invoke` (an "
      + "`EntryProcessor` runs once per call fleet-wide), `loads` read-through loads (a fleet loads a cold key "
      + "once) plus the writes of write-through caches, `all` both. Write-through caches always lease their writes.",
      "cache[prices].lease=all");

  /** The keys set once per CacheManager, in the reference's order. */
  static final List<Setting<?>> MANAGER = List.of(REDIS_URI, REDIS_CLUSTER, REDIS_REPLICAS, REDIS_KEY_PREFIX,
      REDIS_CONNECT_TIMEOUT, REDIS_TRUST_STORE, REDIS_TRUST_STORE_PASSWORD, CHANGE_LOG_MAX_LENGTH,
      CODEC_ALLOWED_PACKAGES, CODEC_ALLOWED_CLASSES, CODEC_FORMAT, CODEC_MAX_DEPTH, CODEC_MAX_DECODED_SIZE,
      CODEC_ON_UNDECODABLE, OUTAGE_STALE_ON_FAILURE, OUTAGE_RETRY_INTERVAL, OUTAGE_FAILURE_THRESHOLD,
      OUTAGE_REPLICA_MAX_LAG, CONTENTION_LEASE_TIME, CONTENTION_LEASE_WAIT, CONTENTION_MAX_ATTEMPTS,
      CONTENTION_MAX_BACKOFF, TRACKING_NAMESPACES);

  /** The keys set per cache, in the reference's order. */
  static final List<Setting<?>> CACHE = List.of(NAMESPACE, NEAR_MAX_ITEMS, NEAR_MAX_BYTES, NEAR_MAX_TTL,
      NEAR_NEGATIVE_CACHING, NEAR_PRELOAD, NEAR_PRELOAD_WAIT, NEAR_SNAPSHOT_DIR, NEAR_SNAPSHOT_INTERVAL, READ_FROM,
      CODEC, COMPRESSION_THRESHOLD, COMMAND_TIMEOUT, STORE_BY_VALUE, STATISTICS, MANAGEMENT, KEY_TYPE, VALUE_TYPE,
      LEASE);

  private SettingsTable() {
  }
}
