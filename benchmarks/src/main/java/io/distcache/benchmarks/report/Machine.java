package io.distcache.benchmarks.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the run ran on, for the table's header.
 *
 * @param cpu CPU model and count from {@code /proc/cpuinfo}
 * @param memory total memory from {@code /proc/meminfo}
 * @param os kernel
 * @param javaVersion first lines of {@code java -version} of the running JVM
 * @param jvmFlags the flags every JVM of the run (launcher and forks) was started with
 * @param redis redis-server version
 * @param loadAtStart {@code /proc/loadavg} when the run started: other work on the machine skews the figures
 * @param loadAtEnd {@code /proc/loadavg} when it ended
 */
public record Machine(String cpu, String memory, String os, String javaVersion, String jvmFlags, String redis,
    String loadAtStart, String loadAtEnd) {

  /**
   * Describes this machine at the end of a run.
   *
   * @param redisVersion what the server reports
   * @param loadAtStart {@link #loadAverage()} taken when the run started
   */
  public static Machine describe(String redisVersion, List<String> jvmFlags, String loadAtStart) {
    return new Machine(readCpu(), readMemory(), System.getProperty("os.name") + " " + System.getProperty("os.version"),
        runJavaVersion(), jvmFlags.isEmpty() ? "(none)" : String.join(" ", jvmFlags), redisVersion, loadAtStart,
        loadAverage());
  }

  /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg}, or "unknown". */
  public static String loadAverage() {
    List<String> lines = lines(Path.of("/proc/loadavg"));
    if (lines.isEmpty()) {
      return "unknown";
    }
    String[] fields = lines.get(0).trim().split("\\s+");
    return fields.length < 3 ? "unknown" : fields[0] + " / " + fields[1] + " / " + fields[2];
  }

  private static String readCpu() {
    List<String> lines = lines(Path.of("/proc/cpuinfo"));
    String model = lines.stream().filter(line -> line.startsWith("model name"))
        .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    long count = lines.stream().filter(line -> line.startsWith("processor")).count();
    return (count == 0 ? Runtime.getRuntime().availableProcessors() : count) + " × " + model;
  }

  private static String readMemory() {
    return lines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal"))
        .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }

  /** {@code java -version} of this JVM's own binary, joined on one line. */
  private static String runJavaVersion() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try {
      Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
      try (InputStream output = process.getInputStream()) {
        String text = new String(output.readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor(10, TimeUnit.SECONDS);
        return String.join("; ", text.lines().toList());
      }
    } catch (IOException e) {
      return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return System.getProperty("java.runtime.version");
    }
  }
}
