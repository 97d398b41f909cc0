package io.distcache.producer.cli;

import io.distcache.producer.CacheProducer;
import io.distcache.producer.Plugins;
import io.distcache.producer.config.ProducerConfigurationException;
import io.distcache.producer.config.ProducerSettings;
import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.ops.ProducerVersion;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.RebuildMode;
import io.distcache.producer.sink.NamespaceSink;
import io.distcache.producer.sink.RedisTarget;
import io.distcache.producer.sink.SinkUnavailableException;
import io.distcache.protocol.namespace.Namespace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The command line: {@code run --config <file>}, {@code validate --config <file>},
 * {@code rebuild --config <file> --projection <name>}, {@code --version}, {@code --help}. Exit codes: 0 done, 1 failed, 2 a configuration error (one line on stderr, no stack
 * trace) or a wrong command line.
 */
@Command(name = "distcache-producer", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Keeps Redis namespaces an exact projection of compacted Kafka topics, for edges reading"
        + " through javax.cache (distcache-jcache).",
    subcommands = {Main.Run.class, Main.Validate.class, Main.Rebuild.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  /** The exit code of a configuration error. */
  public static final int CONFIGURATION_ERROR = 2;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, with configuration errors reported as one line and exit code 2. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setExecutionExceptionHandler((error, commandLine, parsed) -> {
      if (error instanceof ProducerConfigurationException) {
        commandLine.getErr().println("distcache-producer: " + error.getMessage());
        return CONFIGURATION_ERROR;
      }
      throw error;
    });
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code run}: starts the projections of a configuration file until SIGTERM or SIGINT. */
  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Runs the projections of a configuration file until SIGTERM/SIGINT, which finishes the batch"
          + " in flight and exits 0.")
  static final class Run implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "<file>",
        description = "the producer configuration (properties; see META-INF-samples/producer.properties)")
    private Path config;

    @Override
    public Integer call() throws InterruptedException {
      ProducerSettings settings = SettingsFile.read(config);
      CacheProducer producer = CacheProducer.start(settings);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        producer.close();
        stopped.countDown();
        // a signal-initiated exit reports 128+signal; a graceful stop after a finished batch is a success
        Runtime.getRuntime().halt(0);
      }, "distcache-producer-shutdown"));
      producer.awaitStop();
      stopped.await();
      return 0;
    }
  }

  /** {@code validate}: checks a configuration file without connecting anywhere. */
  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Checks a configuration file (keys, values, secret references, projection formats and"
          + " plugins) without connecting to Kafka or Redis; exits 0 when it is valid, 2 when not.")
  static final class Validate implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "<file>",
        description = "the producer configuration to check")
    private Path config;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      ProducerSettings settings = SettingsFile.read(config);
      try (Plugins plugins = Plugins.load(settings.pluginPath())) {
        settings.projections().forEach(plugins::projectionFor);
      }
      spec.commandLine().getOut().println(config + " is valid: " + settings);
      return 0;
    }
  }

  /** {@code rebuild}: asks the running producer to rebuild a projection's namespace beside the current one. */
  @Command(name = "rebuild", mixinStandardHelpOptions = true,
      description = "Asks the producer to rebuild a projection's namespace from its topic beside the current"
          + " generation, which edges keep reading until the switch. The running writer starts within a quarter of"
          + " writer.claim-time; with none running, the next one to start does. Exits 0 once the request is"
          + " recorded in Redis.")
  static final class Rebuild implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "<file>",
        description = "the producer configuration that runs the projection")
    private Path config;

    @Option(names = {"-p", "--projection"}, required = true, paramLabel = "<name>",
        description = "the projection to rebuild, as named in projection[<name>].*")
    private String projection;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      ProducerSettings settings = SettingsFile.read(config);
      ProjectionSettings target = settings.projections().stream().filter(p -> p.name().equals(projection)).findFirst()
          .orElseThrow(() -> new ProducerConfigurationException(config + ": no projection[" + projection + "]; it has "
              + settings.projections().stream().map(ProjectionSettings::name).toList()));
      Namespace namespace = Namespace.of(settings.keyPrefix(), target.namespace());
      try (RedisTarget redis = RedisTarget.of(settings.redis())) {
        NamespaceSink sink = new NamespaceSink(redis, namespace, "rebuild-command", settings.logMaxLength(),
            target.tombstoneTtl(), target.rebuild() == RebuildMode.BESIDE);
        try {
          if (!sink.requestRebuild("requested " + Instant.now())) {
            spec.commandLine().getErr().println("distcache-producer: namespace " + namespace + " of projection "
                + projection + " does not exist in " + redis + "; the producer builds it when it starts");
            return 1;
          }
        } catch (SinkUnavailableException e) {
          spec.commandLine().getErr().println("distcache-producer: " + e.getMessage());
          return 1;
        } finally {
          sink.close();
        }
        spec.commandLine().getOut().println("rebuild of projection " + projection + " (namespace " + namespace
            + ") requested; the running producer starts it within " + settings.claimTime().dividedBy(4).toMillis()
            + " ms and logs its progress");
        return 0;
      }
    }
  }

  /** The version the build wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"distcache-producer " + ProducerVersion.get()};
    }
  }
}
