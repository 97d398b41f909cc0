package io.distcache.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures and starts a {@link RedisServer}. Not thread-safe; a builder can start several
 * servers, each on its own free port unless {@link #port(int)} was set.
 */
public final class RedisServerBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(RedisServerBuilder.class);
  private static final int START_ATTEMPTS = 5;

  private final List<String> extraArgs = new ArrayList<>();
  private RedisBinary binary;
  private RedisServer master;
  private Resp.Credentials credentials;
  private int port;

  RedisServerBuilder() {
  }

  /**
   * Appends raw {@code redis-server} options, placed after the testkit's own so they win,
   * for example {@code "--requirepass", "secret"} or {@code "--maxmemory", "10mb"}. A
   * {@code --requirepass} value is also used to authenticate {@link RedisServer#command(String...)};
   * for ACL users, see {@link #auth(String, String)}. Overriding {@code --port},
   * {@code --bind}, {@code --dir} or {@code --logfile} breaks the testkit's own checks.
   *
   * @param args options and values, each as its own element
   * @return this builder
   */
  public RedisServerBuilder extraArgs(String... args) {
    for (String arg : args) {
      extraArgs.add(Objects.requireNonNull(arg, "arg"));
    }
    return this;
  }

  /**
   * Makes the server a read-only replica of {@code master}, on the master's binary (a
   * replica cannot load a newer RDB format). The replica copies the master's
   * {@code --requirepass} and {@code --user} options and client credentials, and
   * authenticates to it with {@code --masterauth}. {@link #start()} then also waits for
   * the replication link.
   *
   * @param master a running server
   * @return this builder
   */
  public RedisServerBuilder replicaOf(RedisServer master) {
    this.master = Objects.requireNonNull(master, "master");
    return this;
  }

  /**
   * Uses a fixed port instead of a free one; there is no retry if it is taken.
   *
   * @param port 1..65535, but not 6379, which a system-wide redis may own
   * @return this builder
   * @throws IllegalArgumentException for an invalid port or 6379
   */
  public RedisServerBuilder port(int port) {
    if (port < 1 || port > 65535 || port == FreePorts.DEFAULT_REDIS_PORT) {
      throw new IllegalArgumentException("Port must be in 1..65535 and not "
          + FreePorts.DEFAULT_REDIS_PORT + ": " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * Runs another binary than {@link RedisServer#binary()}, for example
   * {@link RedisBinary#embedded()} to test against both versions in one run.
   *
   * @param binary the binary
   * @return this builder
   */
  public RedisServerBuilder binary(RedisBinary binary) {
    this.binary = Objects.requireNonNull(binary, "binary");
    return this;
  }

  /**
   * Sets the credentials the testkit itself sends with {@code AUTH}, needed when
   * {@link #extraArgs(String...)} restricts access with ACL rules such as
   * {@code "--user", "app", "on", ">pw", "~*", "&*", "+@all", "--user", "default", "off"}.
   *
   * @param user     the ACL user, or null for the default user
   * @param password the password
   * @return this builder
   */
  public RedisServerBuilder auth(String user, String password) {
    this.credentials = new Resp.Credentials(user, Objects.requireNonNull(password, "password"));
    return this;
  }

  /**
   * Starts the server and waits until it answers {@code PING} (and, for a replica, until its
   * master link is up). A free port that another process grabs before the server binds it
   * is replaced by a new one, up to 5 times.
   *
   * @return the running server
   * @throws IllegalStateException if it does not start within 10 s; the message holds the
   *                               tail of its log
   */
  public RedisServer start() {
    int attempts = port != 0 ? 1 : START_ATTEMPTS;
    IllegalStateException lastFailure = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      RedisServer server = new RedisServer(binary, master, extraArgs, credentials,
          port != 0 ? port : FreePorts.find());
      try {
        server.launch();
        if (server.isReplica()) {
          server.awaitMasterLink();
        }
        return server;
      } catch (RedisServer.PortTakenException e) {
        server.discard();
        lastFailure = e;
        LOG.debug("Port {} was taken before redis-server could bind it", server.port());
      } catch (RuntimeException e) {
        server.discard();
        throw e;
      }
    }
    throw lastFailure;
  }
}
