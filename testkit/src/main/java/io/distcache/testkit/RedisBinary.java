package io.distcache.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code redis-server} executable the testkit can launch.
 *
 * <p>{@link #detect()} picks, in this order: the path named by the system property
 * {@value #PROPERTY} or the environment variable {@value #ENV}; a
 * {@code redis-server} found on {@code PATH}; the binary shipped inside the
 * {@code com.github.codemonstur:embedded-redis} jar, extracted once per JVM.
 *
 * @param path     absolute path of the executable
 * @param version  version reported by {@code redis-server --version} (for example {@code 7.0.15}),
 *                 or {@code unknown} when the output could not be parsed
 * @param fromPath {@code true} only when the executable was found by searching {@code PATH}
 */
public record RedisBinary(Path path, String version, boolean fromPath) {

  /** System property naming an explicit {@code redis-server} executable. */
  static final String PROPERTY = "distcache.redis.binary";
  /** Environment variable naming an explicit {@code redis-server} executable. */
  static final String ENV = "DISTCACHE_REDIS_BINARY";

  private static final Logger LOG = LoggerFactory.getLogger(RedisBinary.class);
  private static final String EXECUTABLE = "redis-server";
  /** A class of the embedded-redis jar, used only to locate the jar; never loaded. */
  private static final String JAR_MARKER = "redis/embedded/RedisServer.class";
  private static final Pattern VERSION = Pattern.compile("\\bv=([0-9][^\\s]*)");
  private static final long PROBE_TIMEOUT_SECONDS = 10;

  private static final Map<Path, Boolean> TLS_SUPPORT = new ConcurrentHashMap<>();
  private static RedisBinary detected;
  private static RedisBinary embedded;

  /**
   * Validates the components.
   *
   * @throws NullPointerException if {@code path} or {@code version} is null
   */
  public RedisBinary {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(version, "version");
  }

  /**
   * Tells whether this build was compiled with TLS. The answer comes from launching the binary
   * once with {@code --tls-port 0} (builds without TLS reject the directive) and is cached per
   * path for the life of the JVM.
   *
   * @return {@code true} if the server accepts the TLS configuration directives
   */
  public boolean supportsTls() {
    return supportsTls(path);
  }

  /**
   * The binary every {@link RedisServer} uses unless its builder names another one; resolved
   * once per JVM.
   *
   * @return the detected binary
   * @throws IllegalStateException if no usable binary exists (for example an override pointing
   *                               to a missing file, or an unsupported platform)
   */
  public static RedisBinary detect() {
    return detected();
  }

  /**
   * The binary shipped inside the embedded-redis jar for this platform, extracted to a temporary
   * directory once per JVM (deleted when the JVM exits), whatever is on {@code PATH}.
   *
   * @return the embedded binary
   * @throws IllegalStateException if the jar is missing or holds no binary for this platform
   */
  public static RedisBinary embedded() {
    return extracted();
  }

  /**
   * Describes a given executable, probing its version.
   *
   * @param executable path to a {@code redis-server} executable
   * @return the binary, with {@code fromPath} {@code false}
   * @throws IllegalStateException if the file is not executable
   */
  public static RedisBinary of(Path executable) {
    return describe(executable, false);
  }

  // ---------------------------------------------------------------- finding, extracting and probing executables

  private static synchronized RedisBinary detected() {
    if (detected == null) {
      detected = locate(System.getProperty(PROPERTY, System.getenv(ENV)), System.getenv("PATH"));
      LOG.info("Using {} {} ({})", EXECUTABLE, detected.version(), detected.path());
    }
    return detected;
  }

  private static synchronized RedisBinary extracted() {
    if (embedded == null) {
      embedded = describe(extractEmbedded(), false);
    }
    return embedded;
  }

  /**
   * Applies the detection order to explicit inputs so it can be tested without touching the
   * process environment.
   *
   * @param override an explicit executable path, or null/blank for none
   * @param pathEnv  a {@code PATH}-style list of directories, or null
   */
  static RedisBinary locate(String override, String pathEnv) {
    if (override != null && !override.isBlank()) {
      return describe(Path.of(override.trim()), false);
    }
    return findOnPath(pathEnv).map(p -> describe(p, true)).orElseGet(RedisBinary::extracted);
  }

  static RedisBinary describe(Path executable, boolean fromPath) {
    // Not toRealPath(): Debian's redis-server is a symlink to redis-check-rdb, and the binary
    // chooses what to be from the name it was started under.
    Path absolute = executable.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute) || !Files.isExecutable(absolute)) {
      throw new IllegalStateException("Not an executable redis-server: " + absolute
          + " (check -D" + PROPERTY + " / " + ENV + ")");
    }
    return new RedisBinary(absolute, probeVersion(absolute), fromPath);
  }

  private static boolean supportsTls(Path executable) {
    return TLS_SUPPORT.computeIfAbsent(executable, RedisBinary::probeTls);
  }

  private static Optional<Path> findOnPath(String pathEnv) {
    if (pathEnv == null || pathEnv.isBlank()) {
      return Optional.empty();
    }
    for (String entry : pathEnv.split(Pattern.quote(File.pathSeparator))) {
      if (entry.isBlank()) {
        continue;
      }
      Path candidate = Path.of(entry).resolve(EXECUTABLE);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String probeVersion(Path executable) {
    try {
      Process process = new ProcessBuilder(executable.toString(), "--version")
          .redirectErrorStream(true)
          .start();
      // --version prints one line and exits, so reading to EOF cannot hang.
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Matcher matcher = VERSION.matcher(output);
      return matcher.find() ? matcher.group(1) : "unknown";
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + executable + " --version", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while probing " + executable, e);
    }
  }

  /**
   * Launches the binary with TLS enabled on port 0 and plain TCP disabled: a TLS build parses
   * the configuration and exits because it listens nowhere, a build without TLS fails on the
   * unknown directive. Neither opens a socket, so the probe cannot collide with anything.
   */
  private static boolean probeTls(Path executable) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("distcache-redis-tls-probe-");
      Path output = dir.resolve("probe.out");
      Process process = new ProcessBuilder(executable.toString(), "--port", "0", "--tls-port", "0",
          "--save", "", "--appendonly", "no", "--dir", dir.toString())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      if (!process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        // Still running means the directive was accepted; nothing else matters here.
        process.destroyForcibly().waitFor();
        return true;
      }
      boolean supported = !Files.readString(output).contains("Bad directive");
      LOG.debug("{} TLS support: {}", executable, supported);
      return supported;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot probe TLS support of " + executable, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while probing " + executable, e);
    } finally {
      if (dir != null) {
        ServerFiles.deleteRecursively(dir);
      }
    }
  }

  private static Path extractEmbedded() {
    String suffix = platformSuffix();
    ClassLoader loader = RedisBinary.class.getClassLoader();
    String entry = findEmbeddedEntry(loader, suffix);
    try {
      Path dir = Files.createTempDirectory("distcache-redis-bin-");
      Path target = dir.resolve(entry);
      try (InputStream in = loader.getResourceAsStream(entry)) {
        if (in == null) {
          throw new IllegalStateException("Resource " + entry + " vanished from the classpath");
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      // deleteOnExit runs in reverse registration order: the file goes before its directory.
      dir.toFile().deleteOnExit();
      target.toFile().deleteOnExit();
      LOG.debug("Extracted embedded {} to {}", entry, target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract embedded " + entry, e);
    }
  }

  /**
   * Scans the embedded-redis jar rather than naming the resource, because the resource names
   * carry the bundled version and change with the dependency.
   */
  private static String findEmbeddedEntry(ClassLoader loader, String suffix) {
    URL marker = loader.getResource(JAR_MARKER);
    if (marker == null || !"jar".equals(marker.getProtocol())) {
      throw new IllegalStateException("No redis-server on PATH and the embedded-redis jar is not on the"
          + " classpath; install redis-server or set -D" + PROPERTY);
    }
    try {
      JarURLConnection connection = (JarURLConnection) marker.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        return jar.stream()
            .map(JarEntry::getName)
            .filter(name -> name.startsWith(EXECUTABLE + "-") && name.endsWith(suffix))
            .sorted()
            .reduce((first, second) -> second)
            .orElseThrow(() -> new IllegalStateException("The embedded-redis jar "
                + jar.getName() + " has no redis-server for *" + suffix
                + "; install redis-server or set -D" + PROPERTY));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the embedded-redis jar at " + marker, e);
    }
  }

  private static String platformSuffix() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String osPart;
    if (os.contains("linux")) {
      osPart = "linux";
    } else if (os.contains("mac")) {
      osPart = "darwin";
    } else {
      throw new IllegalStateException("No embedded redis-server for " + os + "; set -D" + PROPERTY);
    }
    String archPart = switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> throw new IllegalStateException("No embedded redis-server for " + arch
          + "; set -D" + PROPERTY);
    };
    return "-" + osPart + "-" + archPart;
  }
}
