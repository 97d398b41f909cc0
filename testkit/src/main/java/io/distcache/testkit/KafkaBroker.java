package io.distcache.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one node) on free
 * loopback ports, for tests, benchmarks and the demo.
 *
 * <p>{@link #start()} runs it inside this JVM ({@code kafka.server.KafkaRaftServer}, about 4 s
 * and 230 MiB); {@link #startChildProcess()} runs the same jars as a separate JVM
 * ({@code kafka.Kafka server.properties}), so the caller's heap and logging stay its own and the
 * broker can be killed like a real one. Either way the storage is formatted first with
 * {@code kafka.tools.StorageTool}, the log directory is a fresh temporary directory, and
 * {@link #stop()} deletes it. Brokers still running when the JVM exits are stopped.
 *
 * <p>Instances are thread-safe.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);
  private static final int START_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 40;
  private static final String CHILD_HEAP = "-Xmx512m";

  private final int port;
  private final Path dir;
  private final Path configFile;
  private KafkaRaftServer server;
  private Process process;
  private boolean stopped;
  private final Thread reaper = new Thread(this::discard, "distcache-kafka-reaper");

  private KafkaBroker(int port, int controllerPort) {
    this.port = port;
    try {
      this.dir = Files.createTempDirectory("distcache-kafka-" + port + "-");
      this.configFile = dir.resolve("server.properties");
      try (OutputStream out = Files.newOutputStream(configFile)) {
        settings(port, controllerPort, dir.resolve("logs")).store(out, "distcache testkit single-node KRaft broker");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a working directory for the Kafka broker", e);
    }
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts a broker inside this JVM.
   *
   * @return the running broker, answering metadata requests
   * @throws IllegalStateException if it does not become ready within 60 s
   */
  public static KafkaBroker start() {
    return startWithRetries(false);
  }

  /**
   * Starts a broker as a child JVM running {@code kafka.Kafka} with this JVM's class path; its
   * output goes to {@code broker.log} in its working directory.
   *
   * @return the running broker, answering metadata requests
   * @throws IllegalStateException if it does not become ready within 60 s; the message holds the
   *                               tail of its log
   */
  public static KafkaBroker startChildProcess() {
    return startWithRetries(true);
  }

  private static KafkaBroker startWithRetries(boolean child) {
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      // a free port may be taken by another process before the broker binds it: retry with new ones
      KafkaBroker broker = new KafkaBroker(FreePorts.find(), FreePorts.find());
      try {
        broker.launch(child);
        return broker;
      } catch (IllegalStateException e) {
        broker.stop();
        last = e;
        LOG.warn("Kafka broker start attempt {} failed: {}", attempt, e.getMessage());
      }
    }
    throw last;
  }

  private static Properties settings(int port, int controllerPort, Path logDir) {
    Properties props = new Properties();
    props.setProperty("process.roles", "broker,controller");
    props.setProperty("node.id", "1");
    props.setProperty("controller.quorum.voters", "1@" + HOST + ':' + controllerPort);
    props.setProperty("listeners", "PLAINTEXT://" + HOST + ':' + port + ",CONTROLLER://" + HOST + ':' + controllerPort);
    props.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ':' + port);
    props.setProperty("controller.listener.names", "CONTROLLER");
    props.setProperty("inter.broker.listener.name", "PLAINTEXT");
    props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.setProperty("log.dirs", logDir.toString());
    props.setProperty("num.partitions", "1");
    props.setProperty("auto.create.topics.enable", "true");
    props.setProperty("offsets.topic.replication.factor", "1");
    props.setProperty("offsets.topic.num.partitions", "1");
    props.setProperty("transaction.state.log.replication.factor", "1");
    props.setProperty("transaction.state.log.min.isr", "1");
    props.setProperty("share.coordinator.state.topic.replication.factor", "1");
    props.setProperty("group.initial.rebalance.delay.ms", "0");
    // the cleaner's default 128 MiB dedupe buffer is sized for production brokers, not tests
    props.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    return props;
  }

  private synchronized void launch(boolean child) {
    format();
    if (child) {
      launchChild();
    } else {
      Properties props = new Properties();
      try (var in = Files.newInputStream(configFile)) {
        props.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
      } catch (RuntimeException e) {
        throw new IllegalStateException("The in-process Kafka broker on port " + port + " failed to start: " + e, e);
      }
    }
    awaitReady();
    LOG.info("Kafka broker ready at {} ({}, dir {})", bootstrapServers(), child ? "child JVM" : "in-process", dir);
  }

  private void format() {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    String clusterId = Uuid.randomUuid().toString();
    int status;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      status = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString()}, out);
    }
    if (status != 0) {
      throw new IllegalStateException("Formatting Kafka storage in " + dir + " failed (status " + status + "): "
          + output.toString(StandardCharsets.UTF_8));
    }
  }

  private void launchChild() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = dir.resolve("broker.log");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), CHILD_HEAP,
        "-cp", System.getProperty("java.class.path"), "kafka.Kafka", configFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(Redirect.to(log.toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start a child JVM for the Kafka broker: " + e.getMessage(), e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException("The Kafka broker JVM exited with status " + process.exitValue()
            + "; its log ends with:\n" + ServerFiles.tail(dir.resolve("broker.log"), LOG_TAIL_LINES));
      }
      if (acceptsConnections() && hasBrokers()) {
        return;
      }
      sleep(100);
    }
    throw new IllegalStateException("The Kafka broker on port " + port + " was not ready within "
        + STARTUP_TIMEOUT.toSeconds() + " s" + (process == null ? ""
        : "; its log ends with:\n" + ServerFiles.tail(dir.resolve("broker.log"), LOG_TAIL_LINES)));
  }

  private boolean acceptsConnections() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean hasBrokers() {
    try (Admin admin = admin()) {
      return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
    }
  }

  /** The {@code bootstrap.servers} value of this broker, e.g. {@code 127.0.0.1:40123}. */
  public String bootstrapServers() {
    return HOST + ':' + port;
  }

  /** The broker's client port. */
  public int port() {
    return port;
  }

  /** The broker's working directory (configuration, data and, for a child JVM, {@code broker.log}). */
  public Path directory() {
    return dir;
  }

  /** The process id of a child-JVM broker, or {@code -1} for an in-process one. */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /**
   * Creates a topic with {@code cleanup.policy=compact} and replication factor 1, and waits until
   * every partition has a leader.
   *
   * @throws IllegalStateException when the broker refuses or does not answer within 30 s
   */
  public void createCompactedTopic(String name, int partitions) {
    NewTopic topic = new NewTopic(name, partitions, (short) 1)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try (Admin admin = admin()) {
      admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      awaitLeaders(admin, name, partitions);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot create compacted topic '" + name + "' on " + bootstrapServers()
          + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic '" + name + "'", e);
    }
    LOG.debug("created compacted topic {} with {} partitions", name, partitions);
  }

  private static void awaitLeaders(Admin admin, String name, int partitions)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      TopicDescription description;
      try {
        description = admin.describeTopics(List.of(name)).allTopicNames()
            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(name);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        // created at the controller, not yet in the broker's metadata
        sleep(50);
        continue;
      }
      if (description.partitions().size() == partitions
          && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())
          && leadersAnswer(admin, name, partitions)) {
        return;
      }
      sleep(50);
    }
    throw new TimeoutException("partitions of '" + name + "' got no leader within " + ADMIN_TIMEOUT.toSeconds() + " s");
  }

  /**
   * Whether every partition's leader answers offset requests: metadata names a leader slightly before
   * the broker acts as one, and a first produce in that window fails (an idempotent producer then
   * drops that batch after retrying it out of order).
   */
  private static boolean leadersAnswer(Admin admin, String name, int partitions) throws InterruptedException {
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    for (int partition = 0; partition < partitions; partition++) {
      latest.put(new TopicPartition(name, partition), OffsetSpec.latest());
    }
    try {
      admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  private Admin admin() {
    Properties props = new Properties();
    props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    return Admin.create(props);
  }

  /** Stops the broker (a child JVM gets SIGTERM, then SIGKILL after 15 s) and deletes its directory. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    discard();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down and runs the hook itself
    }
    LOG.info("Kafka broker on port {} stopped", port);
  }

  private synchronized void discard() {
    if (server != null) {
      try {
        server.shutdown();
        server.awaitShutdown();
      } catch (RuntimeException e) {
        LOG.warn("Kafka broker on port {} did not shut down cleanly: {}", port, e.toString());
      }
      server = null;
    }
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    ServerFiles.deleteRecursively(dir);
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
    }
  }

  @Override
  public String toString() {
    return "KafkaBroker[" + bootstrapServers() + ", dir=" + dir + "]";
  }
}
