package io.distcache.producer.ops;

import io.distcache.producer.CacheProducer;
import io.distcache.producer.config.ProducerSettings;
import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: {@code run --config <file>}, {@code demo}, {@code --help}. */
@Command(name = "distcache-producer", mixinStandardHelpOptions = true, version = "distcache-producer 0.1.0",
    description = "Keeps Redis namespaces an exact projection of compacted Kafka topics, for edges reading"
        + " through javax.cache (distcache-jcache).",
    subcommands = {Main.Run.class, Main.DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
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

  /** {@code demo}: the self-contained walk-through. */
  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Starts Kafka (KRaft) and redis-server, publishes sample users, runs the producer and an edge"
          + " reading through javax.cache, prints what the edge sees, cleans up and exits.")
  static final class DemoCommand implements Callable<Integer> {

    @Option(names = "--users", defaultValue = "10000", description = "sample users to publish (default ${DEFAULT-VALUE})")
    private int users;

    @Override
    public Integer call() throws Exception {
      return Demo.run(users, System.out) ? 0 : 1;
    }
  }
}
