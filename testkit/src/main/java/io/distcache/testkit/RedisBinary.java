package io.distcache.testkit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@code redis-server} executable the testkit can launch.
 *
 * <p>{@link #detect()} picks, in this order: the path named by the system property
 * {@value RedisBinaries#PROPERTY} or the environment variable {@value RedisBinaries#ENV}; a
 * {@code redis-server} found on {@code PATH}; the binary shipped inside the
 * {@code com.github.codemonstur:embedded-redis} jar, extracted once per JVM.
 *
 * @param path     absolute path of the executable
 * @param version  version reported by {@code redis-server --version} (for example {@code 7.0.15}),
 *                 or {@code unknown} when the output could not be parsed
 * @param fromPath {@code true} only when the executable was found by searching {@code PATH}
 */
public record RedisBinary(Path path, String version, boolean fromPath) {

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
    return RedisBinaries.supportsTls(path);
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
    return RedisBinaries.detected();
  }

  /**
   * The binary shipped inside the embedded-redis jar for this platform, extracted to a temporary
   * directory once per JVM (deleted when the JVM exits), whatever is on {@code PATH}.
   *
   * @return the embedded binary
   * @throws IllegalStateException if the jar is missing or holds no binary for this platform
   */
  public static RedisBinary embedded() {
    return RedisBinaries.embedded();
  }

  /**
   * Describes a given executable, probing its version.
   *
   * @param executable path to a {@code redis-server} executable
   * @return the binary, with {@code fromPath} {@code false}
   * @throws IllegalStateException if the file is not executable
   */
  public static RedisBinary of(Path executable) {
    return RedisBinaries.describe(executable, false);
  }
}
