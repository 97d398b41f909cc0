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
 * Where the CPU of a measured run goes, per entry: this JVM (every thread, garbage collection included), the time its
 * collections paused it, the redis-server process, and the part of that spent in the commands themselves. On a
 * machine whose cores the JVM and Redis share, their sum bounds any rate: cores over CPU per entry.
 */
final class CpuSplit {

  /** Linux counts a process's CPU in ticks of 1/100 s ({@code getconf CLK_TCK}). */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final RedisServer redis;
  private final List<String> commands;
  private long jvmNanos;
  private long pauseMillis;
  private long redisTicks;
  /** False once a reading could not read the server's CPU ({@code /proc} missing): its column is then unknown. */
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
    return new Reading(jvmCpuNanos(), pauseMillisSoFar(), redisCpuTicks(), commandMicrosSoFar(), System.nanoTime());
  }

  /** Adds a run of {@code count} entries that began at {@code before}. */
  void add(Reading before, long count) {
    Reading after = read();
    jvmNanos += after.jvmNanos - before.jvmNanos;
    pauseMillis += after.pauseMillis - before.pauseMillis;
    redisReadable &= before.redisTicks >= 0 && after.redisTicks >= 0;
    redisTicks += after.redisTicks - before.redisTicks;
    commandMicros += after.commandMicros - before.commandMicros;
    wallNanos += after.wallNanos - before.wallNanos;
    entries += count;
  }

  /** This JVM's CPU per entry, every thread, in microseconds. */
  double jvmMicros() {
    return jvmNanos / 1e3 / entries;
  }

  /** The collections' pauses per entry, wall time, in microseconds. */
  double pauseMicros() {
    return pauseMillis * 1e3 / entries;
  }

  /** The redis-server process's CPU per entry in microseconds; NaN where {@code /proc} cannot be read. */
  double redisMicros() {
    return !redisReadable ? Double.NaN : redisTicks * (NANOS_PER_TICK / 1e3) / entries;
  }

  /** The time Redis spent in the counted commands per entry, in microseconds. */
  double commandMicros() {
    return commandMicros / (double) entries;
  }

  /** The wall time per entry, in microseconds. */
  double wallMicros() {
    return wallNanos / 1e3 / entries;
  }

  /** A point in time: what each counter said then. */
  record Reading(long jvmNanos, long pauseMillis, long redisTicks, long commandMicros, long wallNanos) {
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
