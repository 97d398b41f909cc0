package io.distcache.checker;

import io.distcache.jcache.DistCache;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import io.distcache.jcache.configuration.ReadFrom;
import io.distcache.jcache.near.NearEntry;
import io.distcache.jcache.spi.DistCachingProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the coherence workload: a writer CacheManager puts ever-newer versions of a set of keys,
 * N edge CacheManagers read them from their near caches, and a {@link Ledger} judges every read
 * against the writes acknowledged before it. At the end, {@link #finish(Duration)} compares each
 * edge's near cache with what Redis holds.
 *
 * <p>The writer rewrites each hot key every few milliseconds, so a near copy that missed one change-log
 * record is soon dropped by the next one. The quiescent keys ({@link CheckerOptions#quiescentKeys()})
 * are read like the others but written only once more, by {@link #writeQuiescentKeys()}; a missed record
 * of one of them leaves a stale near copy that {@link #finish(Duration)} finds.
 *
 * <p>Each CacheManager is created through {@link DistCachingProvider} with {@code base} settings
 * (at least {@code redis.uri}); the checker adds the command and connect timeouts. Values are
 * {@link Long} versions, so any edge read tells which write it reflects.
 */
public final class CoherenceChecker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CoherenceChecker.class);
  /** After a failed write the writer pauses this long instead of spinning on fast failures. */
  private static final long FAILED_WRITE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(30);
  private static final long WARM_UP_REWRITE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  /** How long {@link #writeQuiescentKeys()} tries while Redis does not acknowledge. */
  private static final Duration QUIESCENT_WRITE_LIMIT = Duration.ofSeconds(10);

  private final CheckerOptions options;
  private final Ledger ledger;
  private final DistCachingProvider provider = new DistCachingProvider();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final Properties base;
  private final CacheManager writerManager;
  private final Cache<String, Long> writer;
  private final List<CacheManager> edgeManagers = new ArrayList<>();
  private final List<Cache<String, Long>> edges = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();
  private final String[] keyNames;
  private final AtomicLong absentReads = new AtomicLong();
  private final Object[] keyLocks;
  private Thread writerThread;
  private Thread wakeUpSampler;
  private volatile boolean quiescentKeysWritten;
  private volatile boolean writing;
  private volatile boolean reading;

  /**
   * Opens the writer and edge CacheManagers and writes version 1 of every key; nothing runs yet.
   *
   * @param options what to run
   * @param base CacheManager settings shared by all managers (e.g. {@code redis.uri},
   *     {@code redis.key-prefix}, {@code redis.replicas})
   */
  public CoherenceChecker(CheckerOptions options, Properties base) {
    this(options, base, edge -> new Properties());
  }

  /**
   * Like {@link #CoherenceChecker(CheckerOptions, Properties)}, with settings that override
   * {@code base} for single edges, e.g. a {@code redis.uri} through a {@link TcpProxy}.
   *
   * @param edgeOverrides the overriding settings of edge {@code i} (may be empty)
   */
  public CoherenceChecker(CheckerOptions options, Properties base, IntFunction<Properties> edgeOverrides) {
    this.options = options;
    this.base = base;
    this.ledger = new Ledger(options.allKeys(), options.edges(), options.bound().toNanos(),
        options.blockedCallLimit().toNanos());
    this.keyNames = new String[options.allKeys()];
    this.keyLocks = new Object[options.allKeys()];
    for (int i = 0; i < keyNames.length; i++) {
      keyNames[i] = "k" + i;
      keyLocks[i] = new Object();
    }
    this.writerManager = manager("writer", new Properties());
    this.writer = open(writerManager, ReadFrom.MASTER, -1);
    for (int i = 0; i < options.edges(); i++) {
      CacheManager manager = manager("edge-" + i, edgeOverrides.apply(i));
      edgeManagers.add(manager);
      edges.add(open(manager, null, -1));
    }
    for (int key = 0; key < keyNames.length; key++) {
      writeOnce(key);
    }
    awaitFollowers();
  }

  /**
   * Waits until every edge follows the change log: a version of {@code k0} written after the edge
   * cached the previous one must reach it. Without this, the first reads would judge how fast a
   * cold JVM opens its follower connection, not coherence. These reads are not recorded.
   *
   * @throws IllegalStateException if an edge does not see the new version within the warm-up limit
   */
  private void awaitFollowers() {
    long deadline = System.nanoTime() + WARM_UP_LIMIT.toNanos();
    for (Cache<String, Long> edge : edges) {
      edge.get(keyNames[0]);
    }
    if (!writeOnce(0)) {
      throw new IllegalStateException("the writer cannot write to Redis: " + ledger.tally().errors());
    }
    for (int i = 0; i < edges.size(); i++) {
      long rewriteAt = System.nanoTime() + WARM_UP_REWRITE_NANOS;
      // Any version at least as new: a later rewrite (below) may have overtaken the first.
      while (versionOf(edges.get(i).get(keyNames[0])) < ledger.acknowledged(0)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("edge " + i + " did not see " + keyNames[0] + " = v"
              + ledger.acknowledged(0) + " within " + WARM_UP_LIMIT.toSeconds() + " s: its change-log follower"
              + " does not run");
        }
        if (System.nanoTime() > rewriteAt) {
          // One record may be lost (a test that breaks the follower on purpose): the warm-up needs any one.
          writeOnce(0);
          rewriteAt = System.nanoTime() + WARM_UP_REWRITE_NANOS;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
  }

  private static long versionOf(Long value) {
    return value == null ? 0 : value;
  }

  private CacheManager manager(String role, Properties overrides) {
    Properties properties = new Properties();
    properties.putAll(base);
    properties.putAll(overrides);
    String timeout = options.commandTimeout().toMillis() + "ms";
    properties.putIfAbsent("defaults.command-timeout", timeout);
    properties.putIfAbsent("redis.connect-timeout", timeout);
    return provider.getCacheManager(URI.create("distcache-checker:" + run + ":" + role),
        CoherenceChecker.class.getClassLoader(), properties);
  }

  private Cache<String, Long> open(CacheManager manager, ReadFrom readFrom, long nearMaxItems) {
    DistCacheConfiguration<String, Long> configuration = new DistCacheConfiguration<String, Long>()
        .setTypes(String.class, Long.class);
    if (readFrom != null) {
      configuration.setReadFrom(readFrom);
    }
    if (nearMaxItems >= 0) {
      configuration.setNearMaxItems(nearMaxItems);
    }
    return manager.createCache(options.cacheName(), configuration);
  }

  /** The options this checker runs with. */
  public CheckerOptions options() {
    return options;
  }

  /** The ledger (for fault windows, data losses and live counts). */
  public Ledger ledger() {
    return ledger;
  }

  /** The cache of edge {@code index}. */
  public DistCache<String, Long> edge(int index) {
    @SuppressWarnings("unchecked")
    DistCache<String, Long> cache = edges.get(index).unwrap(DistCache.class);
    return cache;
  }

  /** The writer's cache. */
  public Cache<String, Long> writer() {
    return writer;
  }

  /** The name of key {@code index}. */
  public String key(int index) {
    return keyNames[index];
  }

  /** Starts the writer and the reader threads. */
  public synchronized void start() {
    if (writerThread != null) {
      return;
    }
    writing = true;
    reading = true;
    writerThread = daemon("checker-writer", this::writeLoop);
    for (int edge = 0; edge < edges.size(); edge++) {
      for (int reader = 0; reader < options.readersPerEdge(); reader++) {
        int index = edge;
        readers.add(daemon("checker-edge-" + edge + "-reader-" + reader, () -> readLoop(index)));
      }
    }
    wakeUpSampler = daemon("checker-wake-up-sampler", this::sampleWakeUps);
    writerThread.start();
    readers.forEach(Thread::start);
    wakeUpSampler.start();
  }

  /** Measures the platform's pauses while the readers run: the baseline the ledger judges the bound on. */
  private void sampleWakeUps() {
    while (reading) {
      long due = System.nanoTime() + WakeUpDelays.PERIOD_NANOS;
      LockSupport.parkNanos(WakeUpDelays.PERIOD_NANOS);
      ledger.wokeUp(due, System.nanoTime());
    }
  }

  /** Stops the writer and waits for its last write; the readers go on. */
  public synchronized void stopWriting() {
    writing = false;
    if (writerThread != null) {
      join(writerThread);
    }
  }

  /** Stops the writer and the readers and waits for them. */
  public synchronized void stop() {
    stopWriting();
    reading = false;
    readers.forEach(this::join);
    readers.clear();
    if (wakeUpSampler != null) {
      join(wakeUpSampler);
    }
  }

  private void join(Thread thread) {
    try {
      thread.join(options.blockedCallLimit().toMillis() * 4);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Opens a fault window: stale reads from now until the window is closed plus the repair grace
   * are tolerated (counted, not violations).
   */
  public Ledger.FaultWindow fault(String name) {
    LOG.info("fault begins: {}", name);
    return ledger.faultBegins(name, options.repairGrace().toNanos());
  }

  /**
   * Writes the next version of a key through the writer and records its acknowledgement.
   *
   * @return {@code true} if the write was acknowledged; a failure is counted by exception type
   */
  public boolean writeOnce(int key) {
    // Versions of a key are written one after the other, also when a test writes next to the writer thread.
    synchronized (keyLocks[key]) {
      long version = ledger.acknowledged(key) + 1;
      long began = System.nanoTime();
      try {
        writer.put(keyNames[key], version);
        long acked = System.nanoTime();
        ledger.call(acked - began);
        ledger.written(key, version, acked);
        return true;
      } catch (RuntimeException e) {
        ledger.call(System.nanoTime() - began);
        ledger.failed(e);
        return false;
      }
    }
  }

  /**
   * Writes the next version of every quiescent key, once per run: after that nothing writes them
   * again, so an edge that missed one of these writes keeps its stale near copy to the end, where
   * {@link #finish(Duration)} finds it.
   *
   * @return how many of the writes were acknowledged (each is tried again while Redis refuses, for up to 10 s)
   * @throws IllegalStateException if they were written before
   */
  public synchronized int writeQuiescentKeys() {
    if (quiescentKeysWritten) {
      throw new IllegalStateException("the quiescent keys were written already; they are written once");
    }
    quiescentKeysWritten = true;
    long deadline = System.nanoTime() + QUIESCENT_WRITE_LIMIT.toNanos();
    int acknowledged = 0;
    for (int key = options.keys(); key < options.allKeys(); key++) {
      long before = ledger.acknowledged(key);
      // A write that failed (Redis still down) is tried again: until one is acknowledged, none counts.
      while (!writeOnce(key) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(FAILED_WRITE_PAUSE_NANOS);
      }
      acknowledged += ledger.acknowledged(key) > before ? 1 : 0;
    }
    return acknowledged;
  }

  /** Whether {@link #writeQuiescentKeys()} ran. */
  public boolean quiescentKeysWritten() {
    return quiescentKeysWritten;
  }

  /**
   * Reads, through an edge, a key nobody writes and no near cache holds: a miss that goes to Redis, wherever the
   * edge reads from. Only the call's duration and failure are recorded (a fault test that must see a call meet a
   * server standing still cannot rely on the readers' misses landing in the fault's first moments).
   *
   * @return whether the read was answered
   */
  public boolean readAbsentKey(int edge) {
    String key = "absent-" + absentReads.incrementAndGet();
    long began = System.nanoTime();
    try {
      edges.get(edge).get(key);
      ledger.call(System.nanoTime() - began);
      return true;
    } catch (RuntimeException e) {
      ledger.call(System.nanoTime() - began);
      ledger.failed(e);
      return false;
    }
  }

  /**
   * Reads a key through an edge and records the read. The value is the version, so the ledger
   * judges it both against the acknowledged writes and against what this edge returned before
   * (the monotonic-read check).
   *
   * @return the version read, {@code 0} if absent, {@code -1} if the read failed (counted by
   *     exception type; a {@link CacheException} is expected while Redis is unreachable)
   */
  public long readOnce(int edge, int key) {
    // Taken before the call: only reads of this edge recorded before this one began count as earlier.
    long seenBefore = ledger.highestRead(edge, key);
    long began = System.nanoTime();
    try {
      Long value = edges.get(edge).get(keyNames[key]);
      long version = value == null ? 0 : value;
      ledger.read(edge, key, version, began, System.nanoTime(), seenBefore);
      return version;
    } catch (RuntimeException e) {
      ledger.call(System.nanoTime() - began);
      ledger.failed(e);
      return -1;
    }
  }

  private void writeLoop() {
    long interval = options.writeRate() == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / options.writeRate();
    long next = System.nanoTime();
    while (writing) {
      if (!writeOnce(ThreadLocalRandom.current().nextInt(options.keys()))) {
        LockSupport.parkNanos(FAILED_WRITE_PAUSE_NANOS);
      }
      if (interval > 0) {
        next += interval;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
          // Fell far behind (an outage): do not burst to catch up.
          next = System.nanoTime();
        }
      }
    }
  }

  private void readLoop(int edge) {
    if (options.readRate() == 0) {
      while (reading) {
        readOnce(edge, ThreadLocalRandom.current().nextInt(keyNames.length));
        // Lets the follower and Lettuce threads run on a small machine; the readers still cover
        // every key many times per millisecond.
        Thread.yield();
      }
      return;
    }
    // The edge's rate is shared by its reader threads; each parks until its next read is due.
    long interval = Math.max(1, TimeUnit.SECONDS.toNanos(1) * options.readersPerEdge() / options.readRate());
    // A random start spreads the reads of an edge's threads over the interval.
    long next = System.nanoTime() + ThreadLocalRandom.current().nextLong(interval);
    while (reading) {
      long wait;
      while ((wait = next - System.nanoTime()) > 0 && reading) {
        LockSupport.parkNanos(wait);
      }
      if (!reading) {
        return;
      }
      readOnce(edge, ThreadLocalRandom.current().nextInt(keyNames.length));
      next += interval;
      if (System.nanoTime() - next > TimeUnit.SECONDS.toNanos(1)) {
        // Fell far behind (calls blocked during a fault): do not burst to catch up.
        next = System.nanoTime();
      }
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Stops the writer, lets the readers go on for {@code settle} (time for in-flight repairs; their
   * reads refill the near caches), stops them, then compares every near entry of every edge with
   * the value in Redis (read from the master, without a near cache). A near entry that missed an
   * invalidation keeps answering with its old value, so it is still there to be found.
   *
   * @param settle how long to wait before comparing
   * @return the verdict
   */
  public CheckerReport finish(Duration settle) {
    stopWriting();
    sleep(settle);
    stop();
    List<String> staleEntries = new ArrayList<>();
    int checked = 0;
    CacheManager verifierManager = manager("verifier", new Properties());
    try {
      Cache<String, Long> verifier = open(verifierManager, ReadFrom.MASTER, 0);
      for (int edge = 0; edge < edges.size(); edge++) {
        for (int key = 0; key < keyNames.length; key++) {
          NearEntry.Present near = edge(edge).nearCopy(keyNames[key]);
          if (near == null) {
            continue;
          }
          checked++;
          Long inRedis = verifier.get(keyNames[key]);
          long redisVersion = inRedis == null ? 0 : inRedis;
          if (!near.value().equals(redisVersion)) {
            staleEntries.add("edge " + edge + " near " + keyNames[key] + " = v" + near.value()
                + ", Redis has v" + redisVersion + " (last acknowledged v" + ledger.acknowledged(key) + ")");
          }
        }
      }
    } finally {
      verifierManager.close();
    }
    return new CheckerReport(options, ledger.tally(), checked, staleEntries, Heap.used());
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the workload and closes every CacheManager. */
  @Override
  public void close() {
    stop();
    edgeManagers.forEach(CacheManager::close);
    writerManager.close();
    provider.close();
  }
}
