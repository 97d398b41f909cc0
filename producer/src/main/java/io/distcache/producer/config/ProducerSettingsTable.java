package io.distcache.producer.config;

import io.distcache.producer.projection.KeyTemplate;
import io.distcache.producer.projection.OffsetRegressionPolicy;
import io.distcache.producer.projection.RebuildMode;
import io.distcache.producer.projection.TruncateMode;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.protocol.settings.Quantities;
import io.distcache.protocol.settings.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every key of the producer's configuration file, in one place (and {@link #KAFKA}, which documents the
 * {@code kafka.*} keys passed to the Kafka clients as written): its default, parser and documentation. The file is
 * read through it ({@link SettingsFile}, which adds the checks that span keys), and the configuration table of
 * docs/producer.md is generated from it (by {@code ProducerReferenceTest}). A parser's message says what was
 * expected; {@link SettingsFile} puts the file, key and value in front of it. A new key starts as a row here, in
 * the list of its scope, then needs its place in the settings record it belongs to.
 */
final class ProducerSettingsTable {

  /** The shortest {@code writer.claim-time}: the claim is renewed every quarter of it. Before the rows that use it. */
  private static final Duration SHORTEST_CLAIM_TIME = Duration.ofMillis(400);

  static final Setting<String> KAFKA = Setting.withoutDefault("kafka.<client setting>", null, "—",
      Function.identity(),
      "passed to the Kafka consumer and dead-letter producer with `kafka.` removed; `kafka.bootstrap.servers` is "
      + "required. SASL/SSL work unchanged (`kafka.security.protocol`, `kafka.sasl.mechanism`, "
      + "`kafka.sasl.jaas.config`, `kafka.ssl.*`). The producer forces `enable.auto.commit=false`, "
      + "`auto.offset.reset=none` (offsets live in Redis; one Kafka no longer has is an offset regression, never a "
      + "silent reset) and `enable.metrics.push=false` (see \"Runtime jar\")",
      "");

  static final Setting<String> REDIS_URI = Setting.withoutDefault("redis.uri", null, "required", Function.identity(),
      "the Redis master: `redis://[user:password@]host:port[/db]`, `rediss://` for TLS; its Sentinels: "
      + "`redis-sentinel://[user:password@]s1:26379,s2:26379[/db]#<master name>` (the producer asks them for the "
      + "master at every connect and follows failovers); with `redis.cluster = true` seed nodes of the cluster "
      + "(`redis://[user:password@]h1:7000,h2:7001`, no `/db`)",
      "");

  static final Setting<String> REDIS_TRUST_STORE = Setting.withoutDefault("redis.tls.trust-store", null, "the JVM's",
      Function.identity(),
      "a JKS or PKCS12 trust store holding the CA of Redis's certificate, for `rediss://` (same key as the "
      + "provider's)",
      "");

  static final Setting<String> REDIS_TRUST_STORE_PASSWORD = Setting.withoutDefault("redis.tls.trust-store-password",
      null, "—", Function.identity(),
      "its password (write `${env:…}` or `${file:…}`)",
      "");

  static final Setting<Duration> REDIS_CONNECT_TIMEOUT = Setting.withDefault("redis.connect-timeout", "5s",
      Quantities::positiveDuration,
      "how long a connection attempt may take",
      "");

  static final Setting<Duration> REDIS_COMMAND_TIMEOUT = Setting.withDefault("redis.command-timeout", "10s",
      Quantities::positiveDuration,
      "how long a command may wait for its reply; a batch that times out is retried from the stored offsets (a "
      + "cluster batch, three round trips, gets three times this)",
      "");

  static final Setting<Boolean> REDIS_ALLOW_ALLKEYS_EVICTION = Setting.withDefault("redis.allow-allkeys-eviction",
      "false", ProducerSettingsTable::bool,
      "the producer refuses to start (exit code 2) when a master's `maxmemory-policy` is `allkeys-*`: it could "
      + "evict meta hashes, change logs and tombstones, and so lose or resurrect rows. `true` accepts it with a "
      + "warning. `noeviction` is right; `volatile-*` only shortens tombstones",
      "");

  static final Setting<Boolean> REDIS_CLUSTER = Setting.withDefault("redis.cluster", "false",
      ProducerSettingsTable::bool,
      "`true`: `redis.uri` is a node of a Redis Cluster; the producer discovers the others, follows failovers and "
      + "slot moves (topology refreshed every 10 s and on every redirect or reconnect) and writes batches with the "
      + "log-first protocol below. Anything but `true`/`false` is an error naming the key; a `/db` other than 0 in "
      + "the URI is refused (a cluster has only database 0)",
      "");

  static final Setting<Integer> REDIS_CLUSTER_REPLICA_ACKS = Setting.withDefault("redis.cluster.replica-acks", "0",
      text -> Quantities.intWholeNumber(text, 0),
      "Redis Cluster only (an error otherwise): how many replicas of every master written by a batch must "
      + "acknowledge its entries (`WAIT n 1000`) before the batch's offsets move. `0` does not wait. With `1` and "
      + "one replica per master, a failover cannot lose entries whose offsets already moved; if the replicas do not "
      + "acknowledge within 1 s the batch fails (`/health` DOWN, retried with backoff from the stored offsets), so "
      + "set it no higher than the replicas every master really has",
      "");

  static final Setting<String> REDIS_KEY_PREFIX = Setting.withDefault("redis.key-prefix", "dc", Function.identity(),
      "prefix of every Redis key; must equal the edges' `redis.key-prefix`",
      "");

  static final Setting<Integer> HTTP_PORT = Setting.withDefault("http.port", "9400",
      text -> Quantities.intWholeNumber(text, -1),
      "port of `/metrics` (Prometheus text) and `/health/live`, `/health/ready` (JSON); `0` = any free port, `-1` "
      + "= off",
      "");

  static final Setting<String> HTTP_BIND_ADDRESS = Setting.withDefault("http.bind-address", "0.0.0.0",
      Function.identity(),
      "the address the HTTP server binds; `127.0.0.1` keeps it on the host",
      "");

  static final Setting<Duration> WRITER_CLAIM_TIME = Setting.withDefault("writer.claim-time", "10s",
      ProducerSettingsTable::claimTime,
      "how long an instance's claim on a namespace holds unless renewed (every quarter of it). A second instance "
      + "of a projection stands by and takes over once the writer was silent this long (at once when the writer "
      + "stops gracefully). At least `400ms`",
      "");

  static final Setting<Integer> CHANGE_LOG_MAX_LENGTH = Setting.withDefault("change-log.max-length", "100000",
      text -> Quantities.intWholeNumber(text, 1),
      "approximate cap (`XADD MAXLEN ~`) of each namespace's change log",
      "");

  static final Setting<Integer> CODEC_COMPRESSION_THRESHOLD = Setting.withDefault("codec.compression-threshold", "4096",
      Quantities::intByteSize,
      "a size: encoded values of at least this many bytes are LZ4-compressed (edges decompress transparently)",
      "");

  static final Setting<List<Path>> PLUGIN_PATH = Setting.withoutDefault("plugin.path", List.of(), "—",
      ProducerSettingsTable::paths,
      "comma-separated jars or directories of jars holding `Projection` plugins",
      "");

  static final Setting<String> TOPIC = Setting.withoutDefault("topic", null, "required", Function.identity(),
      "the compacted source topic (any number of partitions)",
      "");

  static final Setting<String> NAMESPACE = Setting.withoutDefault("namespace", null, "the projection's name",
      ProducerSettingsTable::namespace,
      "the namespace written: letters, digits, `. _ - %`",
      "");

  static final Setting<String> FORMAT = Setting.withDefault("format", "json", text -> text.toLowerCase(Locale.ROOT),
      "`json` (rows), `debezium` (change events, with or without `schema`/`payload` wrapper), `flattened` "
      + "(Debezium `ExtractNewRecordState` rows with `__deleted`), or a plugin's format",
      "");

  static final Setting<KeyTemplate> KEY_TEMPLATE = Setting.withDefault("key-template", "{key}", KeyTemplate::parse,
      "the cache key: `user:{id}`, `order:{tenant}:{id}`. `{f}` takes field `f` from the record key when it is a "
      + "JSON object (Debezium keys unwrapped), else from the row; a plain key (`42`, `\"abc\"`, raw text) fills a "
      + "single placeholder; `{key}` is the whole key as text. Must be a function of the Kafka key (versions are "
      + "per partition)",
      "");

  static final Setting<String> FIELDS = Setting.withoutDefault("fields", "", "all", Function.identity(),
      "comma-separated row fields kept in the cached value",
      "");

  static final Setting<String> RENAMES = Setting.withoutDefault("renames", "", "—", Function.identity(),
      "`rowName:cachedName,...`",
      "");

  static final Setting<Integer> BATCH_SIZE = Setting.withDefault("batch-size", "2000",
      text -> Quantities.intWholeNumber(text, 1),
      "records per poll and per Redis batch",
      "");

  static final Setting<TruncateMode> TRUNCATE = Setting.withDefault("truncate", "reject",
      text -> choice(text, TruncateMode.class),
      "Debezium `op=t`: `clear` (unlink every entry, new generation, clear record: edges flush their near caches) "
      + "or `reject` (to the DLQ)",
      "");

  static final Setting<String> DLQ_TOPIC = Setting.withoutDefault("dlq-topic", null, "—", Function.identity(),
      "dead-letter topic for bad records; without it they are logged and counted only",
      "");

  static final Setting<Integer> MAX_VALUE_BYTES = Setting.withDefault("max-value-bytes", "1MiB",
      Quantities::intByteSize,
      "a size: larger Kafka values are rejected (`value-too-large`)",
      "");

  static final Setting<Duration> TOMBSTONE_TTL = Setting.withDefault("tombstone-ttl", "1d",
      Quantities::positiveDuration,
      "how long a delete's tombstone keeps older replays from resurrecting the key (like Kafka's "
      + "`delete.retention.ms`; keep it ≥ the topic's)",
      "");

  static final Setting<OffsetRegressionPolicy> ON_OFFSET_REGRESSION = Setting.withDefault("on-offset-regression",
      "rebuild", text -> choice(text, OffsetRegressionPolicy.class),
      "when the offsets stored in the namespace no longer describe the topic (it was deleted and created again — "
      + "another topic id —, ends below a stored offset after an unclean leader election, or retention deleted "
      + "records not yet applied): `rebuild` logs why, empties the namespace under a new generation and reads the "
      + "topic from its start; `fail` logs why and stops the projection (`FAILED`, `/health/live` DOWN), leaving "
      + "the namespace for an operator. A topic that *gained partitions* always stops the projection this way: its "
      + "keys then have rows in two partitions of the topic itself, whose offsets cannot order them, so no rebuild "
      + "from it is exact; re-create the topic with the new count and publish the rows again",
      "");

  static final Setting<RebuildMode> REBUILD = Setting.withDefault("rebuild", "beside",
      text -> choice(text, RebuildMode.class),
      "`beside`: every rebuild loads a new generation beside the one edges read and switches them over in one "
      + "step (see \"Rebuilds\"); `in-place`: the namespace is emptied and loaded again where edges read it, as "
      + "before builds beside existed. Use `in-place` while edges of an older release still read the namespace: "
      + "they read only the first key space, `<prefix>:<ns>:k:`. Redis Cluster always rebuilds in place",
      "");

  static final Setting<String> GROUP = Setting.withoutDefault("group", null, "—", ProducerSettingsTable::group,
      "a Kafka consumer group id: the instances of this projection that name it share its partitions, each "
      + "partition written by one of them, fenced on its owner (see \"Consumer groups\"). Without it, one instance "
      + "writes every partition and the others stand by. Not with `redis.cluster = true` or `rebuild = in-place`",
      "");

  static final Setting<String> VERSION = Setting.withDefault("version", "1", ProducerSettingsTable::version,
      "the projection's version, 1 to 64 of `[A-Za-z0-9._-]`. Change it whenever what the projection writes "
      + "changes (fields, renames, key template, format, a plugin's output): at its next start the producer "
      + "rebuilds the namespace *beside* the current generation, which edges keep reading, and switches them over "
      + "in one step (see \"Rebuilds\"). A namespace built before versions were recorded counts as version `1`",
      "");

  /** The top-level keys besides {@code kafka.*}, in the reference's order. */
  static final List<Setting<?>> TOP_LEVEL = List.of(REDIS_URI, REDIS_TRUST_STORE, REDIS_TRUST_STORE_PASSWORD,
      REDIS_CONNECT_TIMEOUT, REDIS_COMMAND_TIMEOUT, REDIS_ALLOW_ALLKEYS_EVICTION, REDIS_CLUSTER,
      REDIS_CLUSTER_REPLICA_ACKS, REDIS_KEY_PREFIX, HTTP_PORT, HTTP_BIND_ADDRESS, WRITER_CLAIM_TIME,
      CHANGE_LOG_MAX_LENGTH, CODEC_COMPRESSION_THRESHOLD, PLUGIN_PATH);

  /** The keys of a projection, written {@code projection[<name>].<key>}, in the reference's order. */
  static final List<Setting<?>> PROJECTION = List.of(TOPIC, NAMESPACE, FORMAT, KEY_TEMPLATE, FIELDS, RENAMES,
      BATCH_SIZE, TRUNCATE, DLQ_TOPIC, MAX_VALUE_BYTES, TOMBSTONE_TTL, ON_OFFSET_REGRESSION, REBUILD, GROUP, VERSION);

  private ProducerSettingsTable() {
  }

  static boolean bool(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  private static Duration claimTime(String text) {
    Duration claimTime = Quantities.positiveDuration(text);
    if (claimTime.compareTo(SHORTEST_CLAIM_TIME) < 0) {
      throw new IllegalArgumentException("expected at least 400ms: the claim is renewed every quarter of it (default"
          + " 10s)");
    }
    return claimTime;
  }

  private static List<Path> paths(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(part -> !part.isEmpty()).map(Path::of).toList();
  }

  /** A namespace name, as the key layout accepts it (under any valid prefix: only the name is checked here). */
  private static String namespace(String text) {
    Namespace.of("dc", text);
    return text;
  }

  /** An enum constant written in lower case with dashes ({@code rebuild}, {@code in-place}). */
  private static <E extends Enum<E>> E choice(String text, Class<E> type) {
    for (E constant : type.getEnumConstants()) {
      if (name(constant).equals(text.toLowerCase(Locale.ROOT))) {
        return constant;
      }
    }
    throw new IllegalArgumentException("expected one of "
        + Arrays.stream(type.getEnumConstants()).map(ProducerSettingsTable::name).toList());
  }

  private static String name(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A Kafka consumer group id: 1 to 249 printable characters. */
  private static String group(String text) {
    if (!text.matches("[\\x21-\\x7e]{1,249}")) {
      throw new IllegalArgumentException("expected 1 to 249 printable characters without spaces (a Kafka consumer"
          + " group id, e.g. distcache-users); leave it out to run one writer with standbys");
    }
    return text;
  }

  /** A projection version: 1 to 64 characters of {@code [A-Za-z0-9._-]}. */
  private static String version(String text) {
    if (!text.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("expected 1 to 64 letters, digits, '.', '_' or '-' (e.g. 2 or"
          + " 2024-06-shipping-address); change it whenever the projection's output changes, to rebuild the"
          + " namespace beside the current one");
    }
    return text;
  }
}
