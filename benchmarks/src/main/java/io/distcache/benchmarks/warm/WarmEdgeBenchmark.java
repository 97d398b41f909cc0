package io.distcache.benchmarks.warm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.distcache.benchmarks.data.Payload;
import io.distcache.benchmarks.report.Machine;
import io.distcache.jcache.DistCache;
import io.distcache.jcache.near.NearCache;
import io.distcache.jcache.spi.DistCachingProvider;
import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.codec.ValueCodec;
import io.distcache.testkit.RedisServer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;

/**
 * The launcher behind {@code benchmarks/run --warm-edges}: starts one redis-server, measures the preload rate and
 * the heap per near entry, and writes {@code benchmarks/WARM-RESULTS.md}.
 *
 * <p>Arguments: {@code --entries <n>} (preloaded entries, default 1,000,000), {@code --heap-entries <n>} (entries of
 * the heap rows, default 200,000; 0 leaves them out), {@code --out <file>}.
 */
public final class WarmEdgeBenchmark {

  private static final int PAGE = 4_000;
  private static final int RUNS = 3;
  /** Unjudged runs before each row's, so that no row pays for compiling what it shares with a later one. */
  private static final int WARM_UP_RUNS = 1;
  /** A value of about 200 bytes in Redis: 190 characters, Kryo's String form, the 9-byte envelope. */
  private static final int VALUE_CHARACTERS = 190;
  private static final MutableConfiguration<String, String> STRINGS =
      new MutableConfiguration<String, String>().setTypes(String.class, String.class);

  private final int entries;
  private final int heapEntries;

  private WarmEdgeBenchmark(int entries, int heapEntries) {
    this.entries = entries;
    this.heapEntries = heapEntries;
  }

  /** Runs the measurements; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    int entries = 1_000_000;
    int heapEntries = 200_000;
    Path out = Path.of("WARM-RESULTS.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--entries" -> entries = Integer.parseInt(args[++i]);
        case "--heap-entries" -> heapEntries = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; expected --entries <n>, --heap-entries <n> (0: no heap rows), --out <file>");
      }
    }
    new WarmEdgeBenchmark(entries, heapEntries).runTo(out);
  }

  private void runTo(Path out) throws IOException {
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String loadAtStart = Machine.loadAverage();
    StringBuilder report = new StringBuilder("# distcache warm-edge benchmarks\n\n");
    report.append("Written by `benchmarks/run --warm-edges`, started ").append(started).append(".\n\n");
    try (RedisServer redis = RedisServer.start()) {
      if (heapEntries > 0) {
        report.append(heapRows());
      }
      report.append(preloadRows(redis));
      Machine machine = Machine.describe("redis-server " + redis.serverBinary().version(),
          ManagementFactory.getRuntimeMXBean().getInputArguments(), loadAtStart);
      report.append(String.format(Locale.ROOT, "%n## Machine%n%n%s, %s RAM, %s; load average (1/5/15 min) %s at start,"
          + " %s at the end; %s; JVM flags `%s`; %s%n", machine.cpu(), machine.memory(), machine.os(),
          machine.loadAtStart(), machine.loadAtEnd(), machine.javaVersion(), machine.jvmFlags(), machine.redis()));
    }
    Files.writeString(out, report.toString());
    System.out.println(report);
    System.out.println("Wrote " + out.toAbsolutePath());
  }

  // ---------------------------------------------------------------- preload

  private String preloadRows(RedisServer redis) {
    String prefix = "warm";
    load(redis.uri(), prefix);
    List<String> reads = List.of("scan", "mget");
    CpuSplit baselineCpu = new CpuSplit(redis, reads);
    CpuSplit byValueCpu = new CpuSplit(redis, reads);
    CpuSplit byReferenceCpu = new CpuSplit(redis, reads);
    Supplier<CpuSplit> unjudged = () -> new CpuSplit(redis, reads);
    double baseline = best(split -> scanAndMget(redis.uri(), prefix, split), baselineCpu, unjudged);
    double byValue = best(split -> preload(redis.uri(), prefix, true, split), byValueCpu, unjudged);
    double byReference = best(split -> preload(redis.uri(), prefix, false, split), byReferenceCpu, unjudged);
    double startUpMillis = fastestMillis(() -> startUpNanos(redis.uri(), prefix));
    StringBuilder rows = new StringBuilder();
    rows.append(String.format(Locale.ROOT, "## Preload (`near.preload=all`)%n%n%,d entries of about 200 bytes in"
        + " Redis (a %d-character String value), pages of %,d keys; each row the best of %d runs after %d unjudged"
        + " one, each run a new CacheManager from `createCache` until the preload ended (`near.preload-wait`). The"
        + " baseline reads the same keys with Lettuce's `SCAN` + `MGET` and decodes nothing.%n%n", entries,
        VALUE_CHARACTERS, PAGE, RUNS, WARM_UP_RUNS));
    rows.append("| row | entries/s | of the baseline |\n|---|---:|---:|\n");
    rows.append(row("baseline: Lettuce `SCAN` + `MGET`, no decoding", baseline, baseline));
    rows.append(row("distcache preload, by value (near cache holds the bytes)", byValue, baseline));
    rows.append(row("distcache preload, by reference (near cache holds decoded values)", byReference, baseline));
    rows.append(String.format(Locale.ROOT, "%nEach preload row's time includes `createCache`'s own start-up: the"
        + " by-value row's `createCache` with `near.preload=none` took %,.0f ms (fastest of %d runs): connecting,"
        + " reading the change log's end, and replaying the span of the log a replica may trail by"
        + " (`outage.replica-max-lag` + 3 s before its end; here the last records of the load).%n", startUpMillis,
        RUNS));
    int cores = Runtime.getRuntime().availableProcessors();
    rows.append(String.format(Locale.ROOT, "%n### Where the CPU goes, per entry (µs, mean of the %d judged runs)%n%n"
        + "This JVM's CPU counts every thread (the preload's, Lettuce's I/O thread, Caffeine's maintenance, the"
        + " collector's); its GC pauses are the wall time its collectors' MXBeans report (with G1 before JDK 20, not"
        + " the remark and cleanup pauses). Redis's CPU is the redis-server process's; `SCAN` + `MGET` is Redis's"
        + " elapsed time in them (`INFO commandstats`), which on a busy machine includes waiting for a core. The JVM"
        + " and Redis share this machine's %d cores: %d cores over their CPU per entry is the most any row could"
        + " reach here, and their CPU over the cores' time is how much of the machine the runs used.%n%n", RUNS, cores,
        cores));
    rows.append("| row | wall | this JVM's CPU | its GC pauses | redis-server's CPU | `SCAN` + `MGET` (elapsed) |"
        + " bound on the cores (entries/s) | of the cores used |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    rows.append(cpuRow("baseline: Lettuce `SCAN` + `MGET`, no decoding", baselineCpu, cores));
    rows.append(cpuRow("distcache preload, by value", byValueCpu, cores));
    rows.append(cpuRow("distcache preload, by reference", byReferenceCpu, cores));
    return rows.toString();
  }

  private static String cpuRow(String label, CpuSplit split, int cores) {
    double cpu = split.jvmMicros() + split.redisMicros();
    return String.format(Locale.ROOT, "| %s | %.2f | %s | %.2f | %s | %.2f | %s | %s |%n", label, split.wallMicros(),
        micros(split.jvmMicros()), split.pauseMicros(), micros(split.redisMicros()), split.commandMicros(),
        Double.isNaN(cpu) ? "unknown" : String.format(Locale.ROOT, "%,.0f", cores * 1e6 / cpu),
        Double.isNaN(cpu) ? "unknown" : String.format(Locale.ROOT, "%.2f", split.coresUsed(cores)));
  }

  private static String micros(double micros) {
    return Double.isNaN(micros) ? "unknown" : String.format(Locale.ROOT, "%.2f", micros);
  }

  private static String row(String label, double rate, double baseline) {
    return String.format(Locale.ROOT, "| %s | %,.0f | %.2f |%n", label, rate, rate / baseline);
  }

  /** Writes the entries through a CacheManager, so they carry versions and envelopes as edges write them. */
  private void load(String uri, String prefix) {
    CacheManager manager = manager(uri, prefix, "defaults.near.max-items", "0");
    javax.cache.Cache<String, String> cache = manager.createCache("rows", STRINGS);
    String filler = "x".repeat(VALUE_CHARACTERS - 12);
    Map<String, String> batch = new HashMap<>();
    for (int i = 0; i < entries; i++) {
      batch.put("row:" + i, String.format(Locale.ROOT, "%012d", i) + filler);
      if (batch.size() == PAGE || i == entries - 1) {
        cache.putAll(batch);
        batch.clear();
      }
    }
    manager.close();
  }

  private double scanAndMget(String uri, String prefix, CpuSplit split) {
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, byte[]> connection =
        client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
      RedisCommands<String, byte[]> commands = connection.sync();
      CpuSplit.Reading before = split.read();
      long start = System.nanoTime();
      long read = 0;
      ScanCursor cursor = ScanCursor.INITIAL;
      ScanArgs args = ScanArgs.Builder.matches(prefix + ":rows:k:*").limit(PAGE);
      do {
        KeyScanCursor<String> page = commands.scan(cursor, args);
        if (!page.getKeys().isEmpty()) {
          read += commands.mget(page.getKeys().toArray(String[]::new)).stream().filter(v -> v.hasValue()).count();
        }
        cursor = page;
      } while (!cursor.isFinished());
      long nanos = System.nanoTime() - start;
      split.add(before, read, nanos);
      return rate(read, nanos);
    } finally {
      client.shutdown();
    }
  }

  private double preload(String uri, String prefix, boolean byValue, CpuSplit split) {
    CacheManager manager = nearManager(uri, prefix, "all", byValue);
    // createCache's configuration decides store-by-value over the defaults (JSR-107's default is by value)
    MutableConfiguration<String, String> configuration = new MutableConfiguration<>(STRINGS).setStoreByValue(byValue);
    try {
      CpuSplit.Reading before = split.read();
      long start = System.nanoTime();
      DistCache<?, ?> cache = manager.createCache("rows", configuration).unwrap(DistCache.class);
      long nanos = System.nanoTime() - start;
      split.add(before, entries, nanos);
      if (cache.getConfiguration(CompleteConfiguration.class).isStoreByValue() != byValue) {
        throw new IllegalStateException("the row measures store-by-value=" + byValue + " but the cache is not so");
      }
      if (cache.metrics().preloading() || cache.metrics().preloaded() != entries) {
        throw new IllegalStateException("the preload loaded " + cache.metrics().preloaded() + " of " + entries);
      }
      return rate(entries, nanos);
    } finally {
      manager.close();
    }
  }

  /** How long {@code createCache} takes over the loaded namespace: the by-value preload row's cache, not preloading. */
  private long startUpNanos(String uri, String prefix) {
    CacheManager manager = nearManager(uri, prefix, "none", true);
    try {
      long start = System.nanoTime();
      manager.createCache("rows", new MutableConfiguration<>(STRINGS).setStoreByValue(true));
      return System.nanoTime() - start;
    } finally {
      manager.close();
    }
  }

  /** A manager whose caches hold the whole namespace near, with {@code near.preload} set to {@code preload}. */
  private CacheManager nearManager(String uri, String prefix, String preload, boolean byValue) {
    return manager(uri, prefix, "defaults.near.preload", preload, "defaults.near.preload-wait", "10m",
        "defaults.near.max-items", Integer.toString(entries * 2), "defaults.near.max-bytes", "4GiB",
        "defaults.store-by-value", Boolean.toString(byValue));
  }

  private static CacheManager manager(String uri, String prefix, String... settings) {
    Properties properties = new Properties();
    properties.setProperty("redis.key-prefix", prefix);
    for (int i = 0; i < settings.length; i += 2) {
      properties.setProperty(settings[i], settings[i + 1]);
    }
    // A class loader of its own per manager: the provider hands each its own connections and near caches.
    ClassLoader loader = new ClassLoader("warm-" + System.nanoTime(), WarmEdgeBenchmark.class.getClassLoader()) {
    };
    return Caching.getCachingProvider(DistCachingProvider.class.getName())
        .getCacheManager(URI.create(uri), loader, properties);
  }

  /** The best rate of the judged runs, whose CPU {@code split} adds up; unjudged runs count in splits of their own. */
  private static double best(ToDoubleFunction<CpuSplit> run, CpuSplit split, Supplier<CpuSplit> unjudged) {
    for (int i = 0; i < WARM_UP_RUNS; i++) {
      run.applyAsDouble(unjudged.get());
    }
    double best = 0;
    for (int i = 0; i < RUNS; i++) {
      System.gc();
      best = Math.max(best, run.applyAsDouble(split));
    }
    return best;
  }

  private static double fastestMillis(LongSupplier nanos) {
    for (int i = 0; i < WARM_UP_RUNS; i++) {
      nanos.getAsLong();
    }
    long fastest = Long.MAX_VALUE;
    for (int i = 0; i < RUNS; i++) {
      System.gc();
      fastest = Math.min(fastest, nanos.getAsLong());
    }
    return fastest / 1e6;
  }

  private static double rate(long count, long nanos) {
    return count * 1e9 / nanos;
  }

  // ---------------------------------------------------------------- heap per entry

  private String heapRows() {
    String[] keys = new String[heapEntries];
    Payload[] values = new Payload[heapEntries];
    byte[][] envelopes = new byte[heapEntries][];
    ValueCodec codec = new KryoValueCodec(ClassAllowList.defaults().withPackages(List.of(
        Payload.class.getPackageName())), 4096, WarmEdgeBenchmark.class.getClassLoader());
    for (int i = 0; i < heapEntries; i++) {
      keys[i] = "customer:" + i;
      values[i] = Payload.sample(i, 0);
      envelopes[i] = Envelope.toBytes(codec.encodeLocal(values[i]), i + 1L);
    }
    Object space = new Object();
    double noise = perEntry(() -> null, (none, i) -> { });
    double raw = perEntry(this::caffeine, (cache, i) -> cache.put(keys[i], values[i]));
    double rawBytes = perEntry(this::caffeine, (cache, i) -> cache.put(keys[i], envelopes[i]));
    double byReference = perEntry(this::near, (near, i) -> near.fill(keys[i], values[i], i + 1L, -1,
        envelopes[i].length, 0, space));
    double byValue = perEntry(this::near, (near, i) -> near.fillEncoded(keys[i], envelopes[i], codec, i + 1L, -1, 0,
        space));
    StringBuilder rows = new StringBuilder();
    rows.append(String.format(Locale.ROOT, "## Heap per near entry%n%n%,d entries: String keys (`customer:<n>`) and"
        + " the benchmarks' 11-field `Payload` values, or their %d-byte envelopes; the keys, values and envelopes"
        + " exist before each row starts, so each row counts only what the cache adds. Used heap after full GCs,"
        + " before and after the fill, divided by the entries (the empty-fill row is the method's noise). distcache"
        + " rows fill its near cache (`NearCache`, as a `DistCache` holds it: bounded by items and bytes, 10-minute"
        + " TTL) with the same objects.%n%n", heapEntries, envelopes[0].length));
    rows.append("| row | bytes per entry | of raw Caffeine |\n|---|---:|---:|\n");
    rows.append(heapRow("no cache (the method's noise)", noise, raw));
    rows.append(heapRow("raw Caffeine `maximumSize`, holding the values", raw, raw));
    rows.append(heapRow("distcache near cache, by reference (holds the values)", byReference, raw));
    rows.append(heapRow("raw Caffeine `maximumSize`, holding the envelopes", rawBytes, rawBytes));
    rows.append(heapRow("distcache near cache, by value (holds the envelopes)", byValue, rawBytes));
    rows.append('\n');
    return rows.toString();
  }

  private Cache<String, Object> caffeine() {
    return Caffeine.newBuilder().maximumSize(heapEntries * 2L).build();
  }

  private NearCache<String> near() {
    return new NearCache<>(heapEntries * 2L, 4L << 30, Duration.ofMinutes(10), Duration.ofSeconds(10), false);
  }

  private static String heapRow(String label, double bytes, double raw) {
    return String.format(Locale.ROOT, "| %s | %.1f | %.2f |%n", label, bytes, bytes / raw);
  }

  /** The heap a structure adds per entry: used heap after {@code fill} of every entry, minus before, over the count. */
  private <T> double perEntry(Supplier<T> create, ObjIntConsumer<T> fill) {
    long before = usedHeap();
    T structure = create.get();
    for (int i = 0; i < heapEntries; i++) {
      fill.accept(structure, i);
    }
    long after = usedHeap();
    Reference.reachabilityFence(structure);
    return (after - before) / (double) heapEntries;
  }

  private static long usedHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
