package io.distcache.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} process on a loopback port, for tests, benchmarks and demos.
 *
 * <p>Each server gets its own fresh temporary working directory and never persists anything
 * ({@code --save ""}, {@code --appendonly no}, diskless replication); the embedded 6.2 binary
 * refuses to start on a directory holding a newer-format {@code dump.rdb}, so directories are
 * never shared. Servers still running when the JVM exits are killed and their directories
 * deleted.
 *
 * <p>{@link #command(String...)} talks RESP over a fresh socket per call, authenticating first
 * when the server was started with {@code --requirepass} or {@link Builder#auth(String, String)}.
 * Instances are thread-safe.
 */
public final class RedisServer implements AutoCloseable, Reaper.Discardable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);
  private static final long POLL_MILLIS = 10;
  private static final int LOG_TAIL_LINES = 30;
  private static final int START_ATTEMPTS = 5;
  /** Options whose values a replica copies from its master so clients can use both alike. */
  private static final Set<String> AUTH_OPTIONS = Set.of("--requirepass", "--user");

  private final RedisBinary binary;
  private final int port;
  private final Path dir;
  private final List<String> commandLine;
  private final List<String> authArgs;
  private final Resp.Credentials credentials;
  private final RedisServer master;
  private volatile Process process;
  private volatile boolean paused;
  private boolean stopped;

  /**
   * Prepares a server; {@link #launch()} starts it.
   *
   * @param binary the binary, or null for the master's or {@link RedisBinary#detect()}
   * @param master the server to replicate, or null for a master
   * @param extraArgs options after the testkit's own
   * @param credentials what the testkit sends with {@code AUTH}, or null for the master's or a {@code --requirepass}
   * @param port the port to bind
   */
  RedisServer(RedisBinary binary, RedisServer master, List<String> extraArgs, Resp.Credentials credentials,
      int port) {
    this.binary = binary != null ? binary : master != null ? master.binary : RedisBinary.detect();
    this.port = port;
    this.master = master;
    List<String> extra = new ArrayList<>();
    if (master != null) {
      extra.addAll(master.authArgs);
    }
    extra.addAll(extraArgs);
    this.authArgs = List.copyOf(ServerOptions.optionGroups(extra, AUTH_OPTIONS));
    this.credentials = credentials != null ? credentials
        : master != null && master.credentials != null ? master.credentials
        : ServerOptions.passwordIn(extra);
    try {
      this.dir = Files.createTempDirectory("distcache-redis-" + port + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a working directory for redis-server", e);
    }
    this.commandLine = List.copyOf(master == null
        ? ServerOptions.commandLine(this.binary, HOST, port, dir, extra)
        : ServerOptions.replicaCommandLine(this.binary, HOST, port, dir, master.port, master.credentials, extra));
  }

  /**
   * Starts a master on a free loopback port with the {@linkplain #binary() default binary}.
   *
   * @return the running server, answering {@code PING}
   * @throws IllegalStateException if it does not answer within 10 s; the message holds the tail
   *                               of its log
   */
  public static RedisServer start() {
    return builder().start();
  }

  /**
   * A builder for servers with extra options, a fixed port or a master to replicate.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The binary servers use unless their builder names another one.
   *
   * @return the detected binary, see {@link RedisBinary#detect()}
   */
  public static RedisBinary binary() {
    return RedisBinary.detect();
  }

  /**
   * Starts a replica of this server with the same binary, password settings and credentials,
   * and waits until its replication link is up.
   *
   * @return the running replica
   * @throws IllegalStateException if the replica does not start or link within 10 s each
   */
  public RedisServer startReplica() {
    return builder().replicaOf(this).start();
  }

  /**
   * The address servers bind to.
   *
   * @return always {@code 127.0.0.1}
   */
  public String host() {
    return HOST;
  }

  /**
   * The TCP port; it stays the same across {@link #restart()}.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * A connection URI without credentials.
   *
   * @return {@code redis://127.0.0.1:<port>}
   */
  public String uri() {
    return "redis://" + HOST + ":" + port;
  }

  /**
   * The process id of the current (or, after {@link #kill()}/{@link #stop()}, the last) process.
   *
   * @return the pid
   */
  public long pid() {
    return process.pid();
  }

  /**
   * The binary this server runs.
   *
   * @return the binary
   */
  public RedisBinary serverBinary() {
    return binary;
  }

  /**
   * The working directory holding {@code redis.log} (the server log) and {@code redis.out}
   * (anything printed before logging starts). Deleted by {@link #stop()}.
   *
   * @return the directory
   */
  public Path directory() {
    return dir;
  }

  /**
   * Whether the process is alive (it may be {@linkplain #pause() paused}).
   *
   * @return {@code true} between a start or restart and a kill or stop
   */
  public boolean isAlive() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /**
   * Shuts the server down with {@code SHUTDOWN NOSAVE} (killing it if it has not exited after
   * 3 s), waits for the process to exit and deletes its directory. Does nothing the second time.
   * A stopped server can be {@linkplain #restart() restarted} on a fresh, empty directory.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    Process current = process;
    if (current != null && current.isAlive()) {
      if (paused) {
        resume();
      }
      shutDown(current);
    }
    ServerFiles.deleteRecursively(dir);
    stopped = true;
    Reaper.unregister(this);
    LOG.debug("Stopped redis-server on port {}", port);
  }

  /**
   * Kills the process with SIGKILL, as a crash would, and waits for it to exit. The directory
   * stays so that {@link #restart()} can reuse it. Does nothing if the process is not alive.
   */
  public synchronized void kill() {
    Process current = process;
    if (current == null || !current.isAlive()) {
      return;
    }
    current.destroyForcibly();
    ProcessControl.awaitExit(current, STARTUP_TIMEOUT);
    paused = false;
    LOG.debug("Killed redis-server pid {} on port {}", current.pid(), port);
  }

  /**
   * Starts the server again on the same port with the same options, after {@link #kill()} or
   * {@link #stop()}; a running server is killed first. Nothing is persisted, so it comes back
   * empty. Waits for {@code PING} only: for a replica, follow with {@link #awaitMasterLink()} or
   * {@link #awaitSync()}.
   *
   * @throws IllegalStateException if it does not answer within 10 s (for example because another
   *                               process took the port meanwhile)
   */
  public synchronized void restart() {
    kill();
    if (stopped) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot recreate " + dir, e);
      }
      stopped = false;
    }
    launch();
  }

  /**
   * Freezes the process with SIGSTOP: connections are still accepted by the kernel but nothing
   * is answered, like a hung server or a network black hole.
   *
   * @throws IllegalStateException if the process is not alive
   */
  public synchronized void pause() {
    signal("STOP");
    paused = true;
  }

  /**
   * Lets a {@linkplain #pause() paused} process continue with SIGCONT.
   *
   * @throws IllegalStateException if the process is not alive
   */
  public synchronized void resume() {
    signal("CONT");
    paused = false;
  }

  /**
   * Sends one command and waits up to 5 s for the reply; see {@link #command(Duration, String...)}.
   *
   * @param args the command and its arguments, for example {@code "SET", "k", "v"}
   * @return the reply as text, or {@code null} for a nil reply
   */
  public String command(String... args) {
    return command(COMMAND_TIMEOUT, args);
  }

  /**
   * Sends one command over a new connection and renders the reply as text: simple and bulk
   * strings as they are, integers as digits, arrays as their elements joined with {@code \n}
   * (nil elements as empty lines), a nil reply as {@code null}. Because each call has its own
   * connection, connection state does not carry over: {@code MULTI}, {@code SELECT},
   * {@code CLIENT TRACKING} or {@code WAIT} (see {@link #awaitSync()}) are of no use here.
   *
   * @param timeout limit for connecting and for waiting on the reply
   * @param args    the command and its arguments
   * @return the reply as text, or {@code null} for a nil reply
   * @throws IllegalStateException if the server answers with an error; the message is the
   *                               server's (for example {@code WRONGTYPE ...})
   * @throws UncheckedIOException  if the server cannot be reached or does not answer in time
   *                               (then the cause is a {@link java.net.SocketTimeoutException})
   */
  public String command(Duration timeout, String... args) {
    Objects.requireNonNull(timeout, "timeout");
    if (args.length == 0) {
      throw new IllegalArgumentException("No command given");
    }
    return Resp.execute(HOST, port, credentials, timeout, Arrays.asList(args));
  }

  /**
   * Reads {@code INFO commandstats}.
   *
   * @return command name in lower case (for example {@code get}, {@code evalsha}; Redis 7
   *         reports subcommands as {@code config|resetstat}) to number of calls since start or
   *         the last {@link #resetStats()}; commands never called are absent
   */
  public Map<String, Long> commandCalls() {
    return commandStat("calls");
  }

  /**
   * Reads {@code INFO commandstats}: the microseconds each command took, from its start to its
   * end on the server's clock (building the reply included; reading and parsing requests and
   * writing replies to the socket are not). That is elapsed time, not CPU time: on a busy
   * machine it includes moments the server waited for a core.
   *
   * @return command name as in {@link #commandCalls()} to its microseconds since start or the
   *         last {@link #resetStats()}; commands never called are absent
   */
  public Map<String, Long> commandMicros() {
    return commandStat("usec");
  }

  private Map<String, Long> commandStat(String stat) {
    Map<String, Long> values = new TreeMap<>();
    String prefix = stat + "=";
    for (String line : command("INFO", "commandstats").split("\\R")) {
      int colon = line.indexOf(':');
      if (!line.startsWith("cmdstat_") || colon < 0) {
        continue;
      }
      String name = line.substring("cmdstat_".length(), colon).toLowerCase(Locale.ROOT);
      for (String field : line.substring(colon + 1).split(",")) {
        if (field.startsWith(prefix)) {
          values.put(name, Long.parseLong(field.substring(prefix.length())));
        }
      }
    }
    return Collections.unmodifiableMap(values);
  }

  /**
   * Whether {@code calls} reach this server: runs them and tells whether its count of {@code command} calls grew by
   * at least {@code count} meanwhile. Other clients' calls count too, so {@code count} should outnumber them (for
   * example a burst of reads, to tell which node a client reads from).
   */
  public boolean answers(String command, int count, Runnable calls) {
    long before = commandCalls().getOrDefault(command, 0L);
    calls.run();
    return commandCalls().getOrDefault(command, 0L) - before >= count;
  }

  /** Resets {@code INFO} statistics, including command calls, with {@code CONFIG RESETSTAT}. */
  public void resetStats() {
    command("CONFIG", "RESETSTAT");
  }

  /**
   * Waits until {@code INFO replication} reports {@code master_link_status:up}, for example
   * after restarting a replica or its master.
   *
   * @throws IllegalStateException if this is not a replica, or the link is not up within 10 s
   */
  public void awaitMasterLink() {
    requireReplica();
    awaitReplication("no master link", info -> "up".equals(info.get("master_link_status")));
  }

  /**
   * Waits until this replica has applied every write its master had accepted when the call
   * began, including a full resync after the master restarted empty. Use it instead of
   * {@code WAIT}, which only counts writes made on its own connection and so cannot work with
   * {@link #command(String...)}'s connection per call.
   *
   * @throws IllegalStateException if this is not a replica, or it is not in sync within 10 s
   * @throws UncheckedIOException  if the master does not answer {@code INFO}
   */
  public void awaitSync() {
    requireReplica();
    long offset = Long.parseLong(master.info("replication").get("master_repl_offset"));
    // The master's replication id is read afresh each time: a master takes a new one when its
    // first replica attaches, and a replica only shares it after a (full or partial) sync.
    awaitReplication("not in sync with its master at offset " + offset,
        info -> "up".equals(info.get("master_link_status"))
            && Long.parseLong(info.getOrDefault("slave_repl_offset", "-1")) >= offset
            && master.info("replication").get("master_replid").equals(info.get("master_replid")));
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "RedisServer[" + HOST + ":" + port + (master != null ? " replica" : "")
        + ", redis " + binary.version() + "]";
  }

  /**
   * Destroys the process and the directory at once, without locking: used when a start fails
   * and by the JVM shutdown hook, where no graceful shutdown is worth waiting for.
   */
  @Override
  public void discard() {
    Process current = process;
    if (current != null) {
      current.destroyForcibly();
      ProcessControl.awaitExit(current, SHUTDOWN_GRACE);
    }
    ServerFiles.deleteRecursively(dir);
    Reaper.unregister(this);
  }

  private void requireReplica() {
    if (master == null) {
      throw new IllegalStateException(this + " is not a replica");
    }
  }

  private void awaitReplication(String problem, Predicate<Map<String, String>> done) {
    long deadline = System.nanoTime() + REPLICATION_TIMEOUT.toNanos();
    Object last = "";
    while (System.nanoTime() < deadline) {
      try {
        Map<String, String> info = info("replication");
        if (done.test(info)) {
          return;
        }
        last = info;
      } catch (UncheckedIOException | IllegalStateException e) {
        last = e.getMessage();
      }
      sleep();
    }
    throw new IllegalStateException("Replica " + this + " " + problem + " after "
        + REPLICATION_TIMEOUT.toSeconds() + " s; last INFO replication: " + last + logTails());
  }

  /** One {@code INFO} section as {@code field -> value}. */
  private Map<String, String> info(String section) {
    Map<String, String> fields = new TreeMap<>();
    for (String line : command(PROBE_TIMEOUT, "INFO", section).split("\\R")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return fields;
  }

  /** Starts the process and waits until it answers {@code PING}. */
  void launch() {
    Path output = dir.resolve("redis.out");
    try {
      process = new ProcessBuilder(commandLine)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(output.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + binary.path(), e);
    }
    Reaper.register(this);
    paused = false;
    try {
      awaitPong();
    } catch (RuntimeException e) {
      process.destroyForcibly();
      ProcessControl.awaitExit(process, SHUTDOWN_GRACE);
      throw e;
    }
    LOG.debug("Started {} pid {}", this, process.pid());
  }

  private void awaitPong() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    String lastProblem = "no answer";
    while (true) {
      Process current = process;
      if (!current.isAlive()) {
        throw startFailure("exited with code " + current.exitValue());
      }
      try {
        // A process that lost the port race can briefly see another server answer there.
        String pid = "process_id:" + current.pid();
        if (!command(PROBE_TIMEOUT, "INFO", "server").lines().anyMatch(pid::equals)) {
          lastProblem = "port " + port + " is answered by another process";
        } else if ("PONG".equals(command(PROBE_TIMEOUT, "PING"))) {
          return;
        }
      } catch (UncheckedIOException | IllegalStateException e) {
        // Refused connections and LOADING replies are normal while the server boots.
        lastProblem = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw startFailure("did not answer PING within " + STARTUP_TIMEOUT.toSeconds()
            + " s (last: " + lastProblem + ")");
      }
      sleep();
    }
  }

  private IllegalStateException startFailure(String reason) {
    String message = "redis-server " + binary.version() + " (" + binary.path() + ") on port " + port
        + " " + reason + logTails();
    return message.contains("Address already in use") ? new PortTakenException(message)
        : new IllegalStateException(message);
  }

  private String logTails() {
    StringBuilder tails = new StringBuilder();
    for (String name : List.of("redis.log", "redis.out")) {
      Path file = dir.resolve(name);
      tails.append(System.lineSeparator()).append("--- ").append(file).append(" ---")
          .append(System.lineSeparator()).append(ServerFiles.tail(file, LOG_TAIL_LINES));
    }
    return tails.toString();
  }

  private void shutDown(Process current) {
    try {
      command(SHUTDOWN_GRACE, "SHUTDOWN", "NOSAVE");
    } catch (UncheckedIOException expected) {
      // A successful SHUTDOWN closes the connection without a reply.
      LOG.trace("SHUTDOWN ended the connection: {}", expected.getMessage());
    } catch (IllegalStateException refused) {
      LOG.debug("redis-server on port {} refused SHUTDOWN ({}); killing it", port, refused.getMessage());
      current.destroyForcibly();
    }
    if (!ProcessControl.awaitExit(current, SHUTDOWN_GRACE)) {
      LOG.warn("redis-server pid {} on port {} ignored SHUTDOWN for {} s; killing it",
          current.pid(), port, SHUTDOWN_GRACE.toSeconds());
      current.destroyForcibly();
      ProcessControl.awaitExit(current, SHUTDOWN_GRACE);
    }
  }

  private void signal(String name) {
    Process current = process;
    if (current == null || !current.isAlive()) {
      throw new IllegalStateException(this + " is not running");
    }
    ProcessControl.signal(name, current, PROBE_TIMEOUT);
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for redis-server", e);
    }
  }

  /** A start that failed because the port was taken between choosing and binding it. */
  static final class PortTakenException extends IllegalStateException {
    PortTakenException(String message) {
      super(message);
    }
  }

  /** Whether this server replicates another. */
  boolean isReplica() {
    return master != null;
  }

  /**
   * Configures and starts a {@link RedisServer}. Not thread-safe; a builder can start several
   * servers, each on its own free port unless {@link #port(int)} was set.
   */
  public static final class Builder {


    private final List<String> extraArgs = new ArrayList<>();
    private RedisBinary binary;
    private RedisServer master;
    private Resp.Credentials credentials;
    private int port;

    private Builder() {
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
    public Builder extraArgs(String... args) {
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
    public Builder replicaOf(RedisServer master) {
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
    public Builder port(int port) {
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
    public Builder binary(RedisBinary binary) {
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
    public Builder auth(String user, String password) {
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
        } catch (PortTakenException e) {
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
}
