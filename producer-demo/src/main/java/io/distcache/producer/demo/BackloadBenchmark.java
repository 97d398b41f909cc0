package io.distcache.producer.demo;

import io.distcache.jcache.DistCache;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.near.NearEntry;
import io.distcache.jcache.spi.DistCachingProvider;
import io.distcache.producer.CacheProducer;
import io.distcache.producer.ProjectionRunner;
import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.testkit.KafkaBroker;
import io.distcache.testkit.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer's backload benchmark (not a test): N JSON rows of about 200 bytes published to a
 * compacted topic of a real Kafka broker, projected into a fresh redis-server from offset 0, timed
 * from the producer's start until the projection is live. That first backload in the JVM shares the cores with the
 * JIT compiler, so it is reported on its own, and the measured one is a second, after {@code FLUSHALL}, by a new
 * producer in the same JVM once the compiler went idle; then, in the same command and against the same server,
 * {@code redis-benchmark -c 1 -d 200 -P 1000 -t set} as the single-connection pipelined write limit.
 * The namespace is new, so the producer builds it beside its (empty) current generation with its bulk
 * load and then switches it in: the path every rebuild takes. It also reads Redis's own time in the
 * producer's scripts ({@code INFO commandstats}), the ceiling no client could pass, times each stage of the
 * producer's work on its own over the same records (Kafka fetch, JSON and projection, encoding), and, with
 * the projection live, times 10,000 single-row updates from the Kafka send until an edge's near cache
 * (javax.cache) stops serving the old version.
 * Prints Markdown tables. Run it with {@code benchmarks/run-producer [records]}.
 */
public final class BackloadBenchmark {

  private static final String TOPIC = "bench.users";
  private static final int PARTITIONS = 4;
  /** {@code redis-benchmark -r}: random key numbers below this, so a million requests rarely repeat one. */
  private static final String DISTINCT_KEY_SPACE = "1000000000";
  private static final Pattern SET_RATE = Pattern.compile("SET: ([0-9.]+) requests per second");
  private static final int PROPAGATION_UPDATES = 10_000;
  private static final int PROPAGATION_WARMUP = 1_000;
  /** The longest wait for the JIT compiler to go idle before the measured backload. */
  private static final int COMPILER_IDLE_WAIT_SECONDS = 60;

  private BackloadBenchmark() {
  }

  /** Args: [records, default 1,000,000] [output Markdown file, default: stdout only]. */
  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 1_000_000;
    try (RedisServer redis = RedisServer.start(); KafkaBroker kafka = KafkaBroker.start()) {
      kafka.createCompactedTopic(TOPIC, PARTITIONS);
      long publishStart = System.nanoTime();
      publish(kafka, records);
      double publishSeconds = seconds(publishStart);
      System.out.printf("published %,d rows of ~200 bytes in %.1f s%n", records, publishSeconds);

      long firstCompileMillis = compileMillis();
      long firstStart = System.nanoTime();
      double firstSeconds;
      try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(settings(kafka, redis), "benchmark"))) {
        firstSeconds = untilLive(producer, firstStart);
      }
      String firstCompiled = compiledSince(firstCompileMillis);
      // The measured backload is a second one, on an empty Redis and in the same JVM: the first shares the 2 cores
      // with the JIT compiler, compiling the producer and the in-process broker (C1 + C2 about a third of the CPU).
      double compileWaitSeconds = awaitCompilerIdle();
      redis.command("FLUSHALL");
      redis.command("CONFIG", "RESETSTAT");
      long compileMillisBefore = compileMillis();
      long start = System.nanoTime();
      try (CacheProducer producer = CacheProducer.start(SettingsFile.parse(settings(kafka, redis), "benchmark"))) {
        double backloadSeconds = untilLive(producer, start);
        String compiled = compiledSince(compileMillisBefore);
        if (Long.parseLong(redis.command("DBSIZE")) < records) {
          throw new IllegalStateException("the second backload did not load the namespace again: "
              + redis.command("DBSIZE") + " keys for " + records + " records");
        }
        Map<String, Long> commandMicros = redis.commandMicros();
        String propagation = propagation(kafka, redis, records);
        String dbsize = redis.command("DBSIZE");
        double setRate = redisBenchmark(redis, records, false);
        double distinctSetRate = redisBenchmark(redis, records, true);
        String table = table(records, firstSeconds, backloadSeconds, dbsize, setRate, distinctSetRate)
            + String.format("""

                Each backload is timed from the producer's start until its projection is live. The JIT compiler
                worked %s during the first (all its threads, the broker's code included). The benchmark then
                waited %.1f s for it to go idle%s; it still worked %s during the second.
                """, firstCompiled, compileWaitSeconds,
                compileWaitSeconds >= COMPILER_IDLE_WAIT_SECONDS ? " (it did not, within that time)" : "", compiled)
            + redisTime(commandMicros, records, setRate)
            + StageProfile.measure(SettingsFile.parse(settings(kafka, redis), "benchmark"), records,
                1e6 * backloadSeconds / records, redisMicros(commandMicros, records), setRate)
            + propagation + GroupBackload.measure(settings(kafka, redis),
                records + PROPAGATION_WARMUP + PROPAGATION_UPDATES, PARTITIONS);
        System.out.println(table);
        if (args.length > 1) {
          Files.writeString(Path.of(args[1]), table);
        }
      }
    }
  }

  /**
   * Waits until no compilation of the JIT compiler finished for a second (under 20 ms of compile time in it; at most
   * {@value #COMPILER_IDLE_WAIT_SECONDS} s): code compiled while a backload runs takes its CPU from the backload.
   * The JVM counts a compilation's time when it ends, so one still running looks idle. Returns the seconds waited.
   */
  private static double awaitCompilerIdle() throws InterruptedException {
    long start = System.nanoTime();
    long last = compileMillis();
    while (seconds(start) < COMPILER_IDLE_WAIT_SECONDS) {
      Thread.sleep(1000);
      long now = compileMillis();
      if (now - last < 20) {
        break;
      }
      last = now;
    }
    return seconds(start);
  }

  /** The JIT compiler's time since {@code beforeMillis} ({@link #compileMillis()}), for the report. */
  private static String compiledSince(long beforeMillis) {
    long now = compileMillis();
    return beforeMillis < 0 || now < 0 ? "an unknown time (the JVM does not report it)"
        : String.format("%,d ms", now - beforeMillis);
  }

  /** The JIT compiler's total time so far, in milliseconds (-1 where the JVM does not report it). */
  private static long compileMillis() {
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    boolean reported = compiler != null && compiler.isCompilationTimeMonitoringSupported();
    return reported ? compiler.getTotalCompilationTime() : -1;
  }

  /** Seconds from {@code startNanos} until the producer's projection is live: its backload is over. */
  private static double untilLive(CacheProducer producer, long startNanos) throws InterruptedException {
    ProjectionRunner runner = producer.runners().get(0);
    while (runner.status().phase() != Phase.LIVE) {
      Thread.sleep(20);
    }
    return seconds(startNanos);
  }

  /**
   * Redis's time in every command of the backload per record ({@code INFO commandstats}), NaN when not reported.
   * {@code EXEC} is left out, as the commands it runs are counted on their own too.
   */
  private static double redisMicros(Map<String, Long> commandMicros, int records) {
    long micros = commandMicros.entrySet().stream().filter(command -> !command.getKey().equals("exec"))
        .mapToLong(Map.Entry::getValue).sum();
    return commandMicros.isEmpty() ? Double.NaN : (double) micros / records;
  }

  /**
   * Redis's own time per record in the commands of the backload: however fast the client, the producer cannot
   * load faster than one record per that time on a single-threaded Redis.
   */
  private static String redisTime(Map<String, Long> commandMicros, int records, double setRate) {
    double microsPerRecord = redisMicros(commandMicros, records);
    if (Double.isNaN(microsPerRecord)) {
      return "\nRedis did not report its commands' time (`INFO commandstats`).\n";
    }
    double ceiling = 1e6 / microsPerRecord;
    return String.format("""

        Redis spent %.2f µs per record in the backload's commands (the bulk load's `MSET`s in `WATCH`ed
        transactions, the claim, the build's start and its switch): on one Redis thread that caps any producer at
        %,.0f records/s, %s of the SET limit.
        """, microsPerRecord, ceiling,
        Double.isNaN(setRate) ? "n/a" : String.format("%.0f %%", 100 * ceiling / setRate));
  }

  /**
   * Times single-row updates from the Kafka send until an edge CacheManager's near cache no longer
   * serves the old version: Kafka produce and fetch, projection, the Redis batch, the change log and
   * the edge's follower, end to end.
   */
  private static String propagation(KafkaBroker kafka, RedisServer redis, int records) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    CachingProvider provider = Caching.getCachingProvider(DistCachingProvider.class.getName());
    try (KafkaProducer<byte[], byte[]> core =
            new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        CacheManager edge = provider.getCacheManager(URI.create(redis.uri()), BackloadBenchmark.class.getClassLoader())) {
      Cache<String, Map<String, Object>> users =
          edge.createCache("users", new DistCacheConfiguration<String, Map<String, Object>>().setNamespace("users"));
      @SuppressWarnings("unchecked")
      DistCache<String, Map<String, Object>> near = users.unwrap(DistCache.class);
      SplittableRandom random = new SplittableRandom(42);
      long[] samples = new long[PROPAGATION_UPDATES];
      int timeouts = 0;
      for (int i = -PROPAGATION_WARMUP; i < PROPAGATION_UPDATES; i++) {
        long sample = oneUpdate(core, users, near, random.nextInt(records), i);
        if (i >= 0) {
          samples[i] = sample;
          timeouts += sample < 0 ? 1 : 0;
        }
      }
      long[] measured = Arrays.stream(samples).filter(sample -> sample >= 0).sorted().toArray();
      return String.format("""

          ## Producer propagation (%,d single-row updates after %,d unrecorded)

          From the Kafka send of a changed row until an edge's near cache (a CacheManager reading the namespace
          through javax.cache) stops serving the old version.

          | p50 | p90 | p99 | max | timeouts (> 5 s) |
          |---:|---:|---:|---:|---:|
          | %s | %s | %s | %s | %d |
          """, PROPAGATION_UPDATES, PROPAGATION_WARMUP, millis(measured, 0.50), millis(measured, 0.90),
          millis(measured, 0.99), millis(measured, 1.0), timeouts);
    }
  }

  /** One timed update of row {@code id}; -1 if the edge still served the old version after 5 s. */
  private static long oneUpdate(KafkaProducer<byte[], byte[]> core, Cache<String, Map<String, Object>> users,
      DistCache<String, Map<String, Object>> near, int id, int revision) throws Exception {
    String key = "user:" + id;
    NearEntry.Present before = null;
    for (int attempt = 0; before == null; attempt++) {
      users.get(key);
      before = near.nearCopy(key);
      if (before == null && attempt == 100) {
        throw new IllegalStateException("the edge does not keep " + key + " near after reading it");
      }
    }
    long start = System.nanoTime();
    core.send(new ProducerRecord<>(TOPIC, ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
        row(id, "rev" + revision).getBytes(StandardCharsets.UTF_8))).get();
    while (true) {
      NearEntry.Present now = near.nearCopy(key);
      long elapsed = System.nanoTime() - start;
      if (now == null || now.version() > before.version()) {
        return elapsed;
      }
      if (elapsed > TimeUnit.SECONDS.toNanos(5)) {
        return -1;
      }
      Thread.onSpinWait();
    }
  }

  private static String millis(long[] sortedNanos, double quantile) {
    if (sortedNanos.length == 0) {
      return "n/a";
    }
    int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1);
    return String.format("%.2f ms", sortedNanos[Math.max(0, index)] / 1e6);
  }


  private static void publish(KafkaBroker kafka, int records) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    try (KafkaProducer<byte[], byte[]> core =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int id = 0; id < records; id++) {
        core.send(new ProducerRecord<>(TOPIC, ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
            row(id).getBytes(StandardCharsets.UTF_8)));
      }
      core.flush();
    }
  }

  /** A user row of about 200 bytes, as a core service would publish it. */
  private static String row(int id) {
    return row(id, "User " + id);
  }

  private static String row(int id, String name) {
    String row = "{\"id\":" + id + ",\"name\":\"" + name + "\",\"email\":\"user" + id + "@example.com\","
        + "\"tier\":\"" + (id % 3 == 0 ? "gold" : "silver") + "\",\"city\":\"Springfield\",\"bio\":\"";
    StringBuilder padded = new StringBuilder(row);
    while (padded.length() < 198) {
      padded.append('x');
    }
    return padded.append("\"}").toString();
  }

  private static Properties settings(KafkaBroker kafka, RedisServer redis) {
    Properties settings = new Properties();
    settings.setProperty("kafka.bootstrap.servers", kafka.bootstrapServers());
    settings.setProperty("redis.uri", redis.uri());
    settings.setProperty("http.port", "0");
    settings.setProperty("projection[users].topic", TOPIC);
    settings.setProperty("projection[users].namespace", "users");
    settings.setProperty("projection[users].format", "json");
    settings.setProperty("projection[users].key-template", "user:{id}");
    return settings;
  }

  /**
   * {@code redis-benchmark -c 1 -d 200 -P 1000 -t set}: SET requests/s, or NaN without the binary. Without
   * {@code -r} every request overwrites the one key {@code key:__rand_int__}; with {@code distinct}, it adds
   * {@code -r} so requests create new keys (in database 1, apart from the namespace), as a backload does:
   * each then costs Redis a new dictionary entry and two allocations.
   */
  private static double redisBenchmark(RedisServer redis, int requests, boolean distinct)
      throws IOException, InterruptedException {
    Path binary = redis.serverBinary().path().resolveSibling("redis-benchmark");
    String command = Files.isExecutable(binary) ? binary.toString() : "redis-benchmark";
    List<String> arguments = new ArrayList<>(List.of(command, "-h", redis.host(), "-p",
        Integer.toString(redis.port()), "-c", "1", "-d", "200", "-P", "1000", "-t", "set", "-n",
        Integer.toString(requests), "-q"));
    if (distinct) {
      arguments.addAll(List.of("-r", DISTINCT_KEY_SPACE, "--dbnum", "1"));
    }
    Process process;
    try {
      process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
    } catch (IOException e) {
      System.out.println("redis-benchmark not found (install redis-tools): " + e.getMessage());
      return Double.NaN;
    }
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    process.waitFor();
    Matcher matcher = SET_RATE.matcher(output.replace('\r', '\n'));
    double rate = Double.NaN;
    while (matcher.find()) {
      rate = Double.parseDouble(matcher.group(1));
    }
    return rate;
  }

  private static String table(int records, double firstSeconds, double backloadSeconds, String dbsize,
      double setRate, double distinctSetRate) {
    double firstRate = records / firstSeconds;
    double producerRate = records / backloadSeconds;
    return String.format("""
        ## Producer backload (%s, %d cores, redis %s)

        | row | records | time | records/s | of the SET limit |
        |---|---:|---:|---:|---:|
        | `redis-benchmark -c 1 -d 200 -P 1000 -t set` (baseline: one connection, pipelined; one key overwritten) | %,d | | %s | 100 %% |
        | the same with `-r %s --dbnum 1` (new keys, as a backload writes them) | %,d | | %s | %s |
        | distcache producer backload, the first in a new JVM (the JIT compiler busy) | %,d | %.1f s | %,.0f | %s |
        | distcache producer backload, %d partitions, JSON rows ~200 bytes, key template `user:{id}` (the second in the same JVM, after `FLUSHALL`) | %,d | %.1f s | %,.0f | %s |

        Redis held %s keys afterwards (entries + meta + change log + heartbeat). The producer loaded at %s of the
        rate at which `redis-benchmark` alone creates keys.
        """, LocalDate.now(), Runtime.getRuntime().availableProcessors(), RedisServer.binary().version(),
        records, rate(setRate), DISTINCT_KEY_SPACE, records, rate(distinctSetRate), percent(distinctSetRate, setRate),
        records, firstSeconds, firstRate, percent(firstRate, setRate),
        PARTITIONS, records, backloadSeconds, producerRate, percent(producerRate, setRate), dbsize,
        percent(producerRate, distinctSetRate));
  }

  private static String rate(double rate) {
    return Double.isNaN(rate) ? "n/a" : String.format("%,.0f", rate);
  }

  private static String percent(double rate, double of) {
    return Double.isNaN(rate) || Double.isNaN(of) ? "n/a" : String.format("%.0f %%", 100 * rate / of);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
