package io.distcache.checker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history a {@link CoherenceChecker} judges: acknowledged writes, reads, fault windows and
 * data losses, on the {@link System#nanoTime()} clock of one JVM.
 *
 * <p>Versions are the checker's own, embedded in the values: the writer gives each key versions
 * 1, 2, 3, ... and writes version n + 1 only after n was acknowledged, so acknowledgement times
 * grow with the version. A read of version v that began at time s is <em>stale</em> when version
 * v + 1 had been acknowledged before {@code s - bound}. After Redis lost its data (FLUSHALL, a
 * master restarted empty), an absent key is correct until a newer write is acknowledged, and a
 * value from before the loss is stale. Stale reads that begin inside a fault window (the fault
 * plus the repair grace) are tolerated and counted; any other is a {@link Violation}.
 *
 * <p>Reads are also checked for monotonicity per edge: once an edge returned version v of a key,
 * a read through the same edge that begins later and returns an older version (or absent, unless
 * Redis lost the data in between) is a {@link Regression}. Regressions count inside fault windows
 * too. In this checker edges only read (the writer is its own CacheManager), so what an edge has
 * seen is what its own reads returned.
 *
 * <p>Each read is checked when it is recorded, so memory grows with the writes and the stale reads (their lags are
 * kept to judge them against the platform's pauses at the end), not with every read. Thread-safe; one writer thread
 * per key.
 */
public final class Ledger {

  private static final int SAMPLE_LIMIT = 20;
  /**
   * The share of the run's time for which the platform may have held threads up longer than the allowance added
   * to the bound: the wake-up delay exceeded during 0.1 % of the time, as the bound is a 99.9th percentile.
   */
  static final double ALLOWANCE_SHARE_OF_TIME = 0.001;
  /**
   * The thread wake-ups between a change-log record's arrival and the near copy dropped, in sequence: Lettuce's I/O
   * thread reads the reply, then the follower thread applies it. Each waits for a core like the sampler does.
   */
  static final int WAKE_UPS_PER_INVALIDATION = 2;
  /**
   * The most the allowance may be, 20 times the suites' 5 ms bound: a host that holds threads up longer than this
   * for 0.1 % of the time cannot judge the bound, and a regression that stalls the JVM must not excuse itself.
   */
  static final long ALLOWANCE_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** Upper limits of the lag buckets violations are counted in; the last bucket is open. */
  private static final long[] LAG_LIMITS_MILLIS = {10, 100, 1000, 10_000};

  private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
  /** Failures outside fault windows logged per exception type. */
  private static final int LOGGED_FAILURES_OUTSIDE_FAULTS = 5;

  private final long startNanos = System.nanoTime();
  private final long boundNanos;
  private final long blockedLimitNanos;
  private final AckLog[] acks;
  private final AtomicLongArray[] seenByEdge;
  /** Per edge, per key: the highest version any read of the edge returned, data losses or not. */
  private final AtomicLongArray[] highestReadByEdge;
  private final List<DataLoss> losses = new CopyOnWriteArrayList<>();
  private final List<FaultWindow> faults = new CopyOnWriteArrayList<>();
  private final List<Violation> samples = new ArrayList<>();
  private final List<Regression> regressionSamples = new ArrayList<>();
  private final LongAdder reads = new LongAdder();
  private final StalenessHistogram stalenessOutsideFaults = new StalenessHistogram();
  private final LongAdder writes = new LongAdder();
  private final LongAdder violations = new LongAdder();
  private final LongAdder tolerated = new LongAdder();
  private final LongAdder regressions = new LongAdder();
  private final LongAdder[] violationsByLag = new LongAdder[LAG_LIMITS_MILLIS.length + 1];
  private final LongAccumulator lastViolation = new LongAccumulator(Math::max, Long.MIN_VALUE);
  private final LongAdder blockedCalls = new LongAdder();
  private final LongAccumulator longestCall = new LongAccumulator(Math::max, 0);
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errorsOutsideFaults = new ConcurrentHashMap<>();
  private final LongAccumulator longestStaleness = new LongAccumulator(Math::max, 0);
  private final Latencies steadyPropagation = new Latencies();
  private final Latencies faultPropagation = new Latencies();
  /** How stale each violation outside fault windows was, to judge them again on top of the wake-up delays. */
  private final Latencies violationLags = new Latencies();
  /** The same for the stale reads tolerated inside fault windows. */
  private final Latencies toleratedLags = new Latencies();
  private final WakeUpDelays wakeUpDelays = new WakeUpDelays();

  /**
   * Creates an empty ledger.
   *
   * @param keys number of keys (indexes {@code 0..keys-1})
   * @param edges number of edges (indexes {@code 0..edges-1})
   * @param boundNanos the staleness bound
   * @param blockedLimitNanos calls longer than this count as blocked
   */
  public Ledger(int keys, int edges, long boundNanos, long blockedLimitNanos) {
    this.boundNanos = boundNanos;
    this.blockedLimitNanos = blockedLimitNanos;
    this.acks = new AckLog[keys];
    for (int i = 0; i < keys; i++) {
      acks[i] = new AckLog();
    }
    for (int i = 0; i < violationsByLag.length; i++) {
      violationsByLag[i] = new LongAdder();
    }
    this.seenByEdge = new AtomicLongArray[edges];
    this.highestReadByEdge = new AtomicLongArray[edges];
    for (int i = 0; i < edges; i++) {
      seenByEdge[i] = new AtomicLongArray(keys);
      highestReadByEdge[i] = new AtomicLongArray(keys);
    }
  }

  /** How many writes were acknowledged so far (cheap, unlike {@link #tally()}). */
  public long writes() {
    return writes.sum();
  }

  /** The newest acknowledged version of a key, {@code 0} before the first. */
  public long acknowledged(int key) {
    return acks[key].size();
  }

  /**
   * Records that the write of {@code version} to {@code key} was acknowledged at {@code ackNanos}.
   *
   * @throws IllegalStateException if {@code version} is not the one after the last acknowledged one
   */
  public void written(int key, long version, long ackNanos) {
    acks[key].append(version, ackNanos);
    writes.increment();
  }

  /**
   * The highest version of {@code key} that reads through {@code edge} have returned so far
   * ({@code 0}: none yet). Take it just before a read begins and pass it to
   * {@link #read(int, int, long, long, long, long)}, so that a concurrent read of the same edge
   * that ends meanwhile does not count as an earlier one.
   */
  public long highestRead(int edge, int key) {
    return highestReadByEdge[edge].get(key);
  }

  /**
   * Records and judges one read, for the monotonic-read check against every read of the edge
   * recorded before this one (right when reads are recorded one after the other, as in a test).
   *
   * @param edge the edge that read
   * @param key the key
   * @param version the version returned, {@code 0} for absent
   * @param beganNanos when the call began
   * @param endedNanos when it returned
   */
  public void read(int edge, int key, long version, long beganNanos, long endedNanos) {
    read(edge, key, version, beganNanos, endedNanos, highestRead(edge, key));
  }

  /**
   * Records and judges one read.
   *
   * @param edge the edge that read
   * @param key the key
   * @param version the version returned, {@code 0} for absent
   * @param beganNanos when the call began
   * @param endedNanos when it returned
   * @param seenBefore {@link #highestRead(int, int)} of the edge and key taken before the call began
   */
  public void read(int edge, int key, long version, long beganNanos, long endedNanos, long seenBefore) {
    reads.increment();
    call(endedNanos - beganNanos);
    long horizon = beganNanos - boundNanos;
    // An absent key may come from a loss that began while the read was under way (it read Redis after it).
    DataLoss loss = lossBefore(version == 0 ? endedNanos : horizon);
    long floor = loss == null ? 0 : loss.acknowledged[key];
    // Once per read: the scan over every fault window is the ledger's main cost on a busy machine.
    boolean inFault = inFault(beganNanos);
    if (!inFault) {
      stalenessOutsideFaults.add(staleness(key, version, beganNanos, floor, loss));
    }
    long expected = staleAgainst(key, version, horizon, floor);
    if (expected >= 0) {
      // An absent read missed every version since the floor: it is stale since the first of them, as staleness()
      // counts it, not since the newest, which would make a long-missing key look barely late.
      long missed = version == 0 ? floor + 1 : expected;
      long since = expected == 0 ? loss.atNanos : acks[key].time(missed);
      stale(new Violation(edge, "k" + key, version, expected == 0 ? 0 : missed, beganNanos - since,
          beganNanos - startNanos), inFault);
    }
    if (version > floor) {
      propagated(edge, key, version, endedNanos);
    }
    monotonic(edge, key, version, seenBefore, beganNanos, endedNanos);
  }

  /**
   * The monotonic-read check: remembers the highest version the edge returned and counts a
   * {@link Regression} when this read returned less than {@code seenBefore}. An absent read is
   * not a regression if Redis may have lost {@code seenBefore} before the read ended. Not excused
   * by fault windows.
   */
  private void monotonic(int edge, int key, long version, long seenBefore, long beganNanos, long endedNanos) {
    if (version > 0) {
      highestReadByEdge[edge].accumulateAndGet(key, version, Math::max);
    }
    if (version >= seenBefore || version == 0 && mayHaveLost(key, seenBefore, endedNanos)) {
      return;
    }
    regressions.increment();
    synchronized (regressionSamples) {
      if (regressionSamples.size() < SAMPLE_LIMIT) {
        regressionSamples.add(new Regression(edge, "k" + key, version, seenBefore, beganNanos - startNanos));
      }
    }
  }

  /**
   * Whether a data loss recorded before {@code nanos} may have removed {@code version} of
   * {@code key} from Redis: the loss still goes on, or the version was acknowledged before it was
   * over, or it is the one write per key that may have been in flight then (applied by Redis
   * before the loss, its acknowledgement recorded only after the loss was closed, or never).
   */
  private boolean mayHaveLost(int key, long version, long nanos) {
    DataLoss loss = lossBefore(nanos);
    if (loss == null) {
      return false;
    }
    long[] lostUpTo = loss.lostUpTo;
    return lostUpTo == null || version <= lostUpTo[key] + 1;
  }

  /**
   * How long a newer version than the one a read returned had been acknowledged when the read began
   * ({@code 0}: it was fresh), with the loss and floor judged as for the bound.
   */
  private long staleness(int key, long version, long beganNanos, long floor, DataLoss loss) {
    AckLog log = acks[key];
    if (version == 0) {
      return log.countBefore(beganNanos) > floor ? beganNanos - log.time(floor + 1) : 0;
    }
    if (version <= floor) {
      return beganNanos - loss.atNanos;
    }
    return version < log.size() && log.time(version + 1) < beganNanos ? beganNanos - log.time(version + 1) : 0;
  }

  /** The version the read should at least have returned, or -1 if it is fresh enough. */
  private long staleAgainst(int key, long version, long horizon, long floor) {
    AckLog log = acks[key];
    if (version == 0) {
      long newest = log.countBefore(horizon);
      return newest > floor ? newest : -1;
    }
    if (version <= floor) {
      // A value from before Redis lost its data: absent would have been right.
      return 0;
    }
    return version < log.size() && log.time(version + 1) < horizon ? version + 1 : -1;
  }

  private void stale(Violation violation, boolean inFault) {
    if (inFault) {
      tolerated.increment();
      toleratedLags.add(violation.lagNanos());
      return;
    }
    violations.increment();
    violationLags.add(violation.lagNanos());
    lastViolation.accumulate(violation.atNanos());
    longestStaleness.accumulate(violation.lagNanos());
    int bucket = 0;
    while (bucket < LAG_LIMITS_MILLIS.length && violation.lagNanos() > LAG_LIMITS_MILLIS[bucket] * 1_000_000) {
      bucket++;
    }
    violationsByLag[bucket].increment();
    synchronized (samples) {
      if (samples.size() < SAMPLE_LIMIT) {
        samples.add(violation);
      }
    }
  }

  /** Records, for each version this edge sees for the first time, how long after its ack it was seen. */
  private void propagated(int edge, int key, long version, long seenNanos) {
    AtomicLongArray seen = seenByEdge[edge];
    long previous;
    do {
      previous = seen.get(key);
      if (version <= previous) {
        return;
      }
    } while (!seen.compareAndSet(key, previous, version));
    AckLog log = acks[key];
    long acknowledged = log.size();
    for (long v = previous + 1; v <= Math.min(version, acknowledged); v++) {
      long ack = log.time(v);
      long latency = Math.max(0, seenNanos - ack);
      (inFault(ack) || inFault(seenNanos) ? faultPropagation : steadyPropagation).add(latency);
    }
  }

  /** Records the duration of any cache call (read or write). */
  public void call(long nanos) {
    longestCall.accumulate(nanos);
    if (nanos > blockedLimitNanos) {
      blockedCalls.increment();
    }
  }

  /**
   * Records a failed call by its exception type, and apart when it failed outside every fault window; the first
   * few of those are logged with when and why, since the report only counts them.
   */
  public void failed(RuntimeException error) {
    String type = error.getClass().getSimpleName();
    errors.computeIfAbsent(type, k -> new LongAdder()).increment();
    long now = System.nanoTime();
    if (!inFault(now)) {
      LongAdder outside = errorsOutsideFaults.computeIfAbsent(type, k -> new LongAdder());
      outside.increment();
      if (outside.sum() <= LOGGED_FAILURES_OUTSIDE_FAULTS) {
        LOG.warn("a call failed outside every fault window at +{} ms", (now - startNanos) / 1_000_000, error);
      }
    }
  }

  /**
   * Opens a fault window now; stale reads are tolerated until it is closed plus {@code graceNanos}.
   *
   * @return the window, to close when the fault is over
   */
  public FaultWindow faultBegins(String name, long graceNanos) {
    FaultWindow window = new FaultWindow(name, System.nanoTime(), graceNanos);
    faults.add(window);
    return window;
  }

  /**
   * Records that Redis lost every key now: acknowledged versions so far no longer exist there.
   * Use it when no write can be acknowledged while the loss happens (the master is down); else
   * use {@link #dataLossBegins()}.
   */
  public void dataLost() {
    dataLossBegins().close();
  }

  /**
   * Records that Redis is losing every key from now on (call it right before e.g. {@code FLUSHALL}):
   * acknowledged versions so far no longer exist there. Writes acknowledged until the returned loss
   * is closed (close it once the loss is over, e.g. when {@code FLUSHALL} returned) may be lost
   * too; the monotonic-read check does not count an absent read of them as a regression.
   *
   * @return the loss, to close when it is over
   */
  public DataLoss dataLossBegins() {
    DataLoss loss = new DataLoss(acknowledgedNow(), System.nanoTime(), acks);
    losses.add(loss);
    return loss;
  }

  private long[] acknowledgedNow() {
    return acknowledgedNow(acks);
  }

  private static long[] acknowledgedNow(AckLog[] logs) {
    long[] snapshot = new long[logs.length];
    for (int i = 0; i < logs.length; i++) {
      snapshot[i] = logs[i].size();
    }
    return snapshot;
  }

  /**
   * The version Redis should hold for a key now that writes have stopped: the last acknowledged
   * one, or {@code 0} if Redis lost it and nothing was written since.
   */
  public long expectedInRedis(int key) {
    DataLoss loss = lossBefore(Long.MAX_VALUE);
    long acknowledged = acks[key].size();
    return loss != null && acknowledged <= loss.acknowledged[key] ? 0 : acknowledged;
  }

  private DataLoss lossBefore(long nanos) {
    for (int i = losses.size() - 1; i >= 0; i--) {
      DataLoss loss = losses.get(i);
      if (loss.atNanos < nanos) {
        return loss;
      }
    }
    return null;
  }

  private boolean inFault(long nanos) {
    for (FaultWindow window : faults) {
      if (window.covers(nanos)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Records how late a thread that parked until {@code dueNanos} woke up (see {@link WakeUpDelays}); wake-ups due
   * inside fault windows are left out, like the reads there.
   */
  public void wokeUp(long dueNanos, long wokeNanos) {
    if (!inFault(dueNanos)) {
      wakeUpDelays.woke(dueNanos, wokeNanos);
    }
  }

  /** A snapshot of the counts so far. */
  public Tally tally() {
    List<Violation> violationSamples;
    synchronized (samples) {
      violationSamples = List.copyOf(samples);
    }
    Map<String, Long> errorCounts = counts(errors);
    Map<String, Long> byLag = new LinkedHashMap<>();
    for (int i = 0; i < violationsByLag.length; i++) {
      byLag.put(i < LAG_LIMITS_MILLIS.length ? "<= " + LAG_LIMITS_MILLIS[i] + " ms"
          : "> " + LAG_LIMITS_MILLIS[LAG_LIMITS_MILLIS.length - 1] + " ms", violationsByLag[i].sum());
    }
    List<Regression> regressionSampleCopy;
    synchronized (regressionSamples) {
      regressionSampleCopy = List.copyOf(regressionSamples);
    }
    long last = lastViolation.get();
    long repaired = faultsOverAt();
    long allowance = Math.min(ALLOWANCE_LIMIT_NANOS,
        WAKE_UPS_PER_INVALIDATION * wakeUpDelays.exceededFor(ALLOWANCE_SHARE_OF_TIME));
    long beyondAllowance = countAbove(violationLags.sorted(), boundNanos + allowance);
    return new Tally(reads.sum(), writes.sum(), violations.sum(), byLag, last == Long.MIN_VALUE ? -1 : last,
        violationSamples, tolerated.sum(),
        blockedCalls.sum(), longestCall.get(), errorCounts,
        faults.stream().map(window -> window.describe(startNanos)).toList(), losses.size(),
        steadyPropagation.summary(), faultPropagation.summary(), regressions.sum(), regressionSampleCopy,
        new AfterFaults(writesSince(repaired), propagatedSince(repaired), counts(errorsOutsideFaults)),
        stalenessOutsideFaults.summary(), longestStaleness.get(), wakeUpDelays.summary(), allowance,
        beyondAllowance, countAbove(toleratedLags.sorted(), boundNanos + allowance));
  }

  private static long countAbove(long[] sorted, long limit) {
    int index = Arrays.binarySearch(sorted, limit + 1);
    int firstAbove = index >= 0 ? index : -index - 1;
    // binarySearch finds any of equal values: step back to the first one above the limit.
    while (firstAbove > 0 && sorted[firstAbove - 1] > limit) {
      firstAbove--;
    }
    return sorted.length - firstAbove;
  }

  private static Map<String, Long> counts(Map<String, LongAdder> adders) {
    Map<String, Long> counts = new TreeMap<>();
    adders.forEach((type, count) -> counts.put(type, count.sum()));
    return counts;
  }

  /** When the last fault window's repair grace ended; the ledger's start without faults, never while one is open. */
  private long faultsOverAt() {
    long over = startNanos;
    for (FaultWindow window : faults) {
      over = Math.max(over, window.graceEndsNanos());
    }
    return over;
  }

  /** Writes acknowledged after {@code nanos}. */
  private long writesSince(long nanos) {
    long count = 0;
    for (AckLog log : acks) {
      count += log.size() - log.countBefore(nanos);
    }
    return count;
  }

  /** Per edge, how many of the writes acknowledged after {@code nanos} it has read (each one's propagation). */
  private List<Long> propagatedSince(long nanos) {
    List<Long> perEdge = new ArrayList<>();
    for (AtomicLongArray seen : seenByEdge) {
      long count = 0;
      for (int key = 0; key < acks.length; key++) {
        long after = acks[key].countBefore(nanos);
        count += Math.max(0, Math.min(seen.get(key), acks[key].size()) - after);
      }
      perEdge.add(count);
    }
    return perEdge;
  }

  /**
   * Counts of a ledger.
   *
   * @param reads reads recorded
   * @param writes acknowledged writes
   * @param violations stale reads outside fault windows
   * @param violationsByLag violations counted by how long the newer write had been acknowledged
   * @param lastViolationNanos when the last violating read began, relative to the start; -1 if none
   * @param samples the first violations
   * @param tolerated stale reads inside fault windows
   * @param blockedCalls calls longer than the blocked-call limit
   * @param longestCallNanos the longest call
   * @param errors failed calls by exception type
   * @param faults the fault windows, described with their times relative to the start
   * @param dataLosses data losses recorded
   * @param steadyPropagation ack-to-first-read latency of writes outside fault windows
   * @param faultPropagation the same for writes acknowledged or seen inside fault windows
   * @param regressions monotonic-read violations: reads that returned an older version than their
   *     edge had already returned, inside fault windows or not
   * @param regressionSamples the first regressions
   * @param afterFaults what happened once the last fault window (with its repair grace) was over
   * @param staleness how stale the reads that began outside every fault window were (those the bound applies to)
   * @param longestStalenessNanos how long the newer write had been acknowledged at the stalest violating
   *     read ({@code 0} without violations)
   * @param wakeUpDelays how late a thread parked for {@link WakeUpDelays#PERIOD_NANOS} woke up, outside fault
   *     windows: the platform's own pauses, measured in the same run
   * @param allowanceNanos {@link #WAKE_UPS_PER_INVALIDATION} times the wake-up delay the platform held threads up
   *     beyond during 0.1 % of the run's time, at most {@link #ALLOWANCE_LIMIT_NANOS}; {@code 0} when nothing
   *     sampled the wake-ups
   * @param violationsBeyondAllowance violations staler than the bound plus {@code allowanceNanos}
   * @param toleratedBeyondAllowance stale reads inside fault windows staler than the bound plus
   *     {@code allowanceNanos}
   */
  public record Tally(long reads, long writes, long violations, Map<String, Long> violationsByLag,
      long lastViolationNanos, List<Violation> samples, long tolerated,
      long blockedCalls, long longestCallNanos, Map<String, Long> errors, List<String> faults, int dataLosses,
      Latencies.Summary steadyPropagation, Latencies.Summary faultPropagation,
      long regressions, List<Regression> regressionSamples, AfterFaults afterFaults,
      StalenessHistogram.Summary staleness, long longestStalenessNanos, Latencies.Summary wakeUpDelays,
      long allowanceNanos, long violationsBeyondAllowance, long toleratedBeyondAllowance) {

    /** How many reads began outside every fault window. */
    public long readsOutsideFaults() {
      return staleness.total();
    }

    /**
     * Whether at least {@code fraction} of the reads outside fault windows were within the bound on top of the
     * platform's pauses ({@code allowanceNanos}), e.g. {@code 0.999} for a bound that is a 99.9th percentile.
     */
    public boolean withinBound(double fraction) {
      return violationsBeyondAllowance <= (1 - fraction) * readsOutsideFaults();
    }
  }

  /**
   * The evidence of a repair: what happened after the last fault window and its repair grace ended (the
   * whole run if there was no fault). A deployment that never recovered acknowledges no write and
   * propagates nothing there.
   *
   * @param writes writes acknowledged since
   * @param propagatedByEdge per edge, how many of those writes it has read since
   * @param errorsOutsideFaults failed calls outside every fault window, by exception type (any time)
   */
  public record AfterFaults(long writes, List<Long> propagatedByEdge, Map<String, Long> errorsOutsideFaults) {

    /** Copies the collections. */
    public AfterFaults {
      propagatedByEdge = List.copyOf(propagatedByEdge);
      errorsOutsideFaults = Map.copyOf(errorsOutsideFaults);
    }

    /** The fewest writes any edge read since. */
    public long leastPropagated() {
      return propagatedByEdge.stream().mapToLong(Long::longValue).min().orElse(0);
    }
  }

  /** A fault as the ledger sees it: from its start until its end plus the repair grace. */
  public static final class FaultWindow implements AutoCloseable {

    private final String name;
    private final long beganNanos;
    private final long graceNanos;
    private volatile long endedNanos = Long.MAX_VALUE;

    FaultWindow(String name, long beganNanos, long graceNanos) {
      this.name = name;
      this.beganNanos = beganNanos;
      this.graceNanos = graceNanos;
    }

    /** When the repair grace ends; {@link Long#MAX_VALUE} while the fault goes on. */
    long graceEndsNanos() {
      long ended = endedNanos;
      return ended == Long.MAX_VALUE ? Long.MAX_VALUE : ended + graceNanos;
    }

    boolean covers(long nanos) {
      long ended = endedNanos;
      return nanos >= beganNanos && (ended == Long.MAX_VALUE || nanos <= ended + graceNanos);
    }

    /** Ends the fault now; the repair grace starts. */
    @Override
    public void close() {
      if (endedNanos == Long.MAX_VALUE) {
        endedNanos = System.nanoTime();
      }
    }

    String describe(long originNanos) {
      long ended = endedNanos;
      return String.format("%s from +%.3f s to %s", name, (beganNanos - originNanos) / 1e9,
          ended == Long.MAX_VALUE ? "(open)" : String.format("+%.3f s", (ended - originNanos) / 1e9));
    }

    @Override
    public String toString() {
      return "fault " + name;
    }
  }

  /**
   * A data loss as the ledger sees it: the versions acknowledged when it began are gone from Redis.
   * Until it is closed, versions acknowledged meanwhile may be gone too.
   */
  public static final class DataLoss implements AutoCloseable {

    private final long[] acknowledged;
    private final long atNanos;
    private final AckLog[] logs;
    /** Per key, the highest version the loss may have removed; {@code null} while it goes on. */
    private volatile long[] lostUpTo;

    private DataLoss(long[] acknowledged, long atNanos, AckLog[] logs) {
      this.acknowledged = acknowledged;
      this.atNanos = atNanos;
      this.logs = logs;
    }

    /** Ends the loss now: versions acknowledged from now on are not lost. */
    @Override
    public void close() {
      if (lostUpTo == null) {
        lostUpTo = Ledger.acknowledgedNow(logs);
      }
    }

    @Override
    public String toString() {
      return "data loss" + (lostUpTo == null ? " (going on)" : "");
    }
  }

  /** Acknowledgement times of one key by version; one appender, many readers. */
  private static final class AckLog {

    private volatile long[] times = new long[64];
    private volatile int size;

    void append(long version, long ackNanos) {
      int current = size;
      if (version != current + 1) {
        throw new IllegalStateException("version " + version + " acknowledged after " + current);
      }
      long[] array = times;
      if (current == array.length) {
        array = Arrays.copyOf(array, current * 2);
        times = array;
      }
      array[current] = ackNanos;
      size = current + 1;
    }

    int size() {
      return size;
    }

    /** The acknowledgement time of {@code version} (1-based, at most {@link #size()}). */
    long time(long version) {
      return times[(int) version - 1];
    }

    /** How many versions were acknowledged before {@code nanos}. */
    long countBefore(long nanos) {
      int count = size;
      long[] array = times;
      int low = 0;
      int high = count;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (array[mid] < nanos) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return low;
    }
  }
}
