package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code kill -9} of the producer process at random points of backload and live traffic, then
 * a restart; afterwards the namespace must be exactly the compacted state. Shared by the standalone and
 * the Redis Cluster tests.
 */
final class KillScenario {

  private static final Logger LOG = LoggerFactory.getLogger(KillScenario.class);
  private static final Pattern STARTING_AT = Pattern.compile("starting at \\{([^}]*)}");
  private static final int KILLS = 3;
  private static final int BACKLOAD = 20_000;
  private static final int LIVE_PER_KILL = 2_000;
  private static final int USERS = 8_000;
  private static final int PARTITIONS = 3;

  private final String topic;
  private final Properties settings;
  private final NamespaceReader namespace;
  private final LongSupplier storedOffsets;
  private long published;

  /**
   * @param topic a topic name not used before (it is created with three partitions)
   * @param settings the producer's configuration, projecting {@code topic}
   * @param namespace reads the namespace the producer writes
   * @param storedOffsets the sum of the next offsets stored in the namespace's meta hash
   */
  KillScenario(String topic, Properties settings, NamespaceReader namespace, LongSupplier storedOffsets) {
    this.topic = topic;
    this.settings = settings;
    // each restart stands by until the killed instance's claim lapses, then takes over: 2 s instead of 10 s
    settings.setProperty("writer.claim-time", "2s");
    this.namespace = namespace;
    this.storedOffsets = storedOffsets;
  }

  /** The number of partitions of the topic, for summing stored offsets. */
  static int partitions() {
    return PARTITIONS;
  }

  void run(Path dir, long seed) throws Exception {
    Infra.kafka().createCompactedTopic(topic, PARTITIONS);
    Random random = new Random(seed);
    Set<Long> ids = new HashSet<>();
    ProducerProcess producer = new ProducerProcess(dir, settings);
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic)) {
      publish(core, random, ids, BACKLOAD);
      for (int kill = 1; kill <= KILLS; kill++) {
        long before = storedOffsets.getAsLong();
        int starts = starts(producer);
        producer.start();
        assertResumesFromTheStoredOffsets(producer, starts, before);
        publish(core, random, ids, LIVE_PER_KILL);
        // kill while it works: after it stored at least one batch in this life, at a random moment
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
            .until(() -> storedOffsets.getAsLong() > before);
        // more live traffic while it catches up, then the kill at a random moment
        publish(core, random, ids, LIVE_PER_KILL);
        long delay = random.nextInt(300);
        Thread.sleep(delay);
        long atKill = storedOffsets.getAsLong();
        producer.kill();
        LOG.info("{}: SIGKILL {} ms after a second burst of traffic (kill {}), {} of {} records stored then", topic,
            delay, kill, atKill, published);
      }
      publish(core, random, ids, LIVE_PER_KILL);
      int starts = starts(producer);
      long stored = storedOffsets.getAsLong();
      producer.start();
      assertResumesFromTheStoredOffsets(producer, starts, stored);
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
          .until(() -> namespace.matches(core.state(), ids));
      namespace.assertEquals(core.state(), ids);
      LOG.info("{}: namespace equals the compacted state ({} keys, {} live)", topic, ids.size(), core.state().size());
    } finally {
      producer.kill();
    }
  }

  /**
   * A restarted producer reads on from exactly where its killed predecessor's offsets stand in Redis, not
   * from an earlier or later point: the positions it logs when it starts sum to what is stored.
   */
  private static void assertResumesFromTheStoredOffsets(ProducerProcess producer, int startsBefore, long stored) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> starts(producer) > startsBefore);
    Matcher start = STARTING_AT.matcher(log(producer));
    long positions = -1;
    while (start.find()) {
      positions = 0;
      for (String partition : start.group(1).split(", ")) {
        positions += Long.parseLong(partition.substring(partition.indexOf('=') + 1));
      }
    }
    assertThat(positions).as("positions the restart starts from").isEqualTo(stored);
  }

  private static int starts(ProducerProcess producer) {
    Matcher start = STARTING_AT.matcher(log(producer));
    int count = 0;
    while (start.find()) {
      count++;
    }
    return count;
  }

  private static String log(ProducerProcess producer) {
    try {
      return producer.log();
    } catch (IOException e) {
      return "";
    }
  }

  private void publish(CoreTopic core, Random random, Set<Long> ids, int records) {
    published += records;
    for (int i = 0; i < records; i++) {
      long id = random.nextInt(USERS);
      ids.add(id);
      if (random.nextInt(8) == 0) {
        core.delete(id);
      } else {
        core.upsert(id);
      }
    }
    core.flush();
  }
}
