package io.distcache.benchmarks.warm;

import static java.util.Objects.requireNonNull;

import io.distcache.testkit.RedisServer;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the CPU of measured runs goes, per entry: this JVM (every thread, garbage collection included), the pauses
 * its collectors report, the redis-server process, and Redis's elapsed time in the counted commands. On a machine
 * whose cores the JVM and Redis share, their CPU bounds any rate (cores over CPU per entry), and their CPU over the
 * cores' time says how much of the machine the runs used.
 */
final class CpuSplit {

  /** Linux counts a process's CPU in ticks of 1/100 s ({@code getconf CLK_TCK}). */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final RedisServer redis;
  private final List<String> commands;
  private long jvmNanos;
  private long pauseMillis;
  private long redisTicks;
  /** False once a reading could not read a process's CPU: its column is then unknown. */
  private boolean jvmReadable = true;
  private boolean redisReadable = true;
  private long commandMicros;
  private long wallNanos;
  private long entries;

  /** Counts Redis's time in {@code commands} (names as {@link RedisServer#commandMicros()} gives them). */
  CpuSplit(RedisServer redis, List<String> commands) {
    this.redis = requireNonNull(redis, "redis");
    this.commands = List.copyOf(commands);
  }

  /** A reading taken before a run; {@link #add} takes the one after it. */
  Reading read() {
    return new Reading(jvmCpuNanos(), pauseMillisSoFar(), redisCpuTicks(), commandMicrosSoFar());
  }

  /** Adds a run of {@code count} entries that began at {@code before} and took {@code nanos} by the row's clock. */
  void add(Reading before, long count, long nanos) {
    Reading after = read();
    jvmReadable &= before.jvmNanos >= 0 && after.jvmNanos >= 0;
    redisReadable &= before.redisTicks >= 0 && after.redisTicks >= 0;
    jvmNanos += after.jvmNanos - before.jvmNanos;
    pauseMillis += after.pauseMillis - before.pauseMillis;
    redisTicks += after.redisTicks - before.redisTicks;
    commandMicros += after.commandMicros - before.commandMicros;
    wallNanos += nanos;
    entries += count;
  }

  /** This JVM's CPU per entry, every thread, in microseconds; NaN where the JVM does not report it. */
  double jvmMicros() {
    return jvmReadable ? jvmNanos / 1e3 / entries : Double.NaN;
  }

  /**
   * The pauses per entry that the collectors' MXBeans report, wall time, in microseconds: with G1 before JDK 20 its
   * young and full collections, not its remark and cleanup pauses.
   */
  double pauseMicros() {
    return pauseMillis * 1e3 / entries;
  }

  /** The redis-server process's CPU per entry in microseconds; NaN where {@code /proc} cannot be read. */
  double redisMicros() {
    return redisReadable ? redisTicks * (NANOS_PER_TICK / 1e3) / entries : Double.NaN;
  }

  /**
   * Redis's elapsed time in the counted commands per entry, in microseconds ({@code INFO commandstats}): wall time,
   * so on a busy machine it includes moments the server waited for a core.
   */
  double commandMicros() {
    return commandMicros / (double) entries;
  }

  /** The wall time per entry, in microseconds. */
  double wallMicros() {
    return wallNanos / 1e3 / entries;
  }

  /** The JVM's and Redis's CPU over the time of {@code cores} cores during the runs; NaN if either is unknown. */
  double coresUsed(int cores) {
    return (jvmMicros() + redisMicros()) / (cores * wallMicros());
  }

  /** A point in time: what each counter said then. */
  record Reading(long jvmNanos, long pauseMillis, long redisTicks, long commandMicros) {
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long pauseMillisSoFar() {
    long millis = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      millis += Math.max(0, collector.getCollectionTime());
    }
    return millis;
  }

  /** User and system ticks of the server process ({@code /proc/<pid>/stat} fields 14 and 15); -1 if unreadable. */
  private long redisCpuTicks() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(redis.pid()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private long commandMicrosSoFar() {
    Map<String, Long> micros = redis.commandMicros();
    return commands.stream().mapToLong(command -> micros.getOrDefault(command, 0L)).sum();
  }
}
