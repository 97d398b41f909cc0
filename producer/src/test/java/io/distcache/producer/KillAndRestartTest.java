package io.distcache.producer;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill -9} of the producer process at random points of backload and live traffic, then a restart:
 * the namespace ends up exactly the compacted state, in every one of five runs.
 */
class KillAndRestartTest {

  private static final Logger LOG = LoggerFactory.getLogger(KillAndRestartTest.class);
  private static final int RUNS = 5;
  private static final int KILLS_PER_RUN = 3;
  private static final int BACKLOAD = 20_000;
  private static final int LIVE_PER_KILL = 2_000;
  private static final int USERS = 8_000;

  @Test
  void killedProducersRestartIntoTheExactCompactedState(@TempDir Path dir) throws Exception {
    for (int run = 1; run <= RUNS; run++) {
      killAndRestart(Files.createDirectory(dir.resolve("run-" + run)), run);
    }
  }

  private void killAndRestart(Path dir, int run) throws Exception {
    String topic = "kill.users." + run;
    String namespace = "kill-" + run;
    Infra.kafka().createCompactedTopic(topic, 3);
    Random random = new Random(run * 31L);
    Set<Long> ids = new HashSet<>();
    published = 0;
    ProducerProcess producer = new ProducerProcess(dir, Producers.properties(topic, namespace));
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        Edge edge = new Edge(Infra.redis().uri(), namespace)) {
      publish(core, random, ids, BACKLOAD);
      for (int kill = 1; kill <= KILLS_PER_RUN; kill++) {
        long before = storedOffsets(namespace);
        producer.start();
        publish(core, random, ids, LIVE_PER_KILL);
        // kill while it works: after it stored at least one batch in this life, at a random moment
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
            .until(() -> storedOffsets(namespace) > before);
        // more live traffic while it catches up, then the kill at a random moment
        publish(core, random, ids, LIVE_PER_KILL);
        long delay = random.nextInt(300);
        Thread.sleep(delay);
        long atKill = storedOffsets(namespace);
        producer.kill();
        LOG.info("run {}: SIGKILL {} ms after a second burst of traffic (kill {}), {} of {} records stored then", run,
            delay, kill, atKill, published);
      }
      publish(core, random, ids, LIVE_PER_KILL);
      producer.start();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
          .until(() -> edge.matches(core.state(), ids));
      edge.assertEquals(core.state(), ids);
      LOG.info("run {}: namespace equals the compacted state ({} keys, {} live)", run, ids.size(), core.state().size());
    } finally {
      producer.kill();
    }
  }

  private long published;

  private static long storedOffsets(String namespace) {
    long sum = 0;
    for (int partition = 0; partition < 3; partition++) {
      String offset = Infra.redis().command("HGET", "dc:{dc}:" + namespace + ":meta", "offset:" + partition);
      sum += offset == null || offset.isEmpty() ? 0 : Long.parseLong(offset);
    }
    return sum;
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
