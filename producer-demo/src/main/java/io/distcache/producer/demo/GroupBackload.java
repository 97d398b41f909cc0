package io.distcache.producer.demo;

import io.distcache.producer.CacheProducer;
import io.distcache.producer.ProjectionRunner;
import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The backload of a topic by the members of a consumer group ({@code projection[<name>].group}), 1 and then 2 of
 * them, each into a namespace of its own: a group loads through the live path (version rule, a change-log record
 * per key), since only one writer of every partition can build beside the current generation.
 */
final class GroupBackload {

  private GroupBackload() {
  }

  /** Runs both and returns the Markdown section. */
  static String measure(Properties base, int records, int partitions) throws InterruptedException {
    double one = records / seconds(base, 1, partitions);
    double two = records / seconds(base, 2, partitions);
    return String.format("""

        ## Consumer group backload (%,d records, %d partitions, start to live)

        | members | records/s | vs 1 member |
        |---:|---:|---:|
        | 1 | %,.0f | 1.00 |
        | 2 | %,.0f | %.2f |

        Members of a group load through the live path (version rule, a change-log record per key): a build beside
        the current generation needs one writer of every partition. On 2 cores the members share the CPU with
        Kafka and Redis, so a second member spreads the work without adding a core.
        """, records, partitions, one, two, two / one);
  }

  /** Starts {@code members} instances in one group at once; the seconds until all are live with every partition. */
  private static double seconds(Properties base, int members, int partitions) throws InterruptedException {
    Properties settings = new Properties();
    settings.putAll(base);
    settings.setProperty("projection[users].namespace", "users-group-" + members);
    settings.setProperty("projection[users].group", "backload-" + members);
    settings.setProperty("kafka.session.timeout.ms", "6000");
    settings.setProperty("kafka.heartbeat.interval.ms", "1000");
    List<CacheProducer> started = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < members; i++) {
        started.add(CacheProducer.start(SettingsFile.parse(settings, "group-benchmark")));
      }
      while (!allLive(started, members, partitions)) {
        Thread.sleep(20);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("group backload with %d member(s): %.1f s%n", members, seconds);
      return seconds;
    } finally {
      started.forEach(CacheProducer::close);
    }
  }

  private static boolean allLive(List<CacheProducer> producers, int members, int partitions) {
    int owned = 0;
    for (CacheProducer producer : producers) {
      ProjectionRunner runner = producer.runners().get(0);
      if (runner.status().phase() != Phase.LIVE || runner.status().partitions().isEmpty()) {
        return false;
      }
      owned += runner.status().partitions().size();
    }
    return producers.size() == members && owned == partitions;
  }
}
