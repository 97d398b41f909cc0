package io.distcache.producer.demo;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The demo's command line: {@code java -jar distcache-producer-demo.jar [--users N]}. */
@Command(name = "distcache-producer-demo", mixinStandardHelpOptions = true,
    versionProvider = DemoMain.Version.class,
    description = "Starts Kafka (KRaft) and redis-server, publishes sample users, runs the producer and an edge"
        + " reading through javax.cache, prints what the edge sees, cleans up and exits.")
public final class DemoMain implements Callable<Integer> {

  @Option(names = "--users", defaultValue = "10000", description = "sample users to publish (default ${DEFAULT-VALUE})")
  private int users;

  /** Runs the demo and exits 0 when the edge saw everything, else 1. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    return Demo.run(users, System.out) ? 0 : 1;
  }

  /** The version of the jar, from its manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = DemoMain.class.getPackage().getImplementationVersion();
      return new String[] {"distcache-producer-demo " + (version == null ? "(development build)" : version)};
    }
  }
}
