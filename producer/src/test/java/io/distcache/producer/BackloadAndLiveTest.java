package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.fixture.CoreTopic;
import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.Producers;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Backload of 100,000 records, then live traffic: the namespace equals the topic's compacted state. */
class BackloadAndLiveTest {

  private static final Logger LOG = LoggerFactory.getLogger(BackloadAndLiveTest.class);
  private static final int RECORDS = 100_000;
  private static final int USERS = 60_000;

  @Test
  void namespaceEqualsTheCompactedTopicAfterBackloadAndLiveUpdates() {
    Infra.kafka().createCompactedTopic("backload.users", 4);
    Random random = new Random(7);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "backload.users")) {
      for (int i = 0; i < RECORDS; i++) {
        long id = i < USERS ? i : random.nextInt(USERS);
        ids.add(id);
        if (i >= USERS && random.nextInt(10) == 0) {
          core.delete(id);
        } else {
          core.upsert(id);
        }
      }
      core.flush();
      long start = System.nanoTime();
      try (CacheProducer producer = CacheProducer.start(Producers.settings("backload.users", "backload"));
          Edge edge = new Edge(Infra.redis().uri(), "backload")) {
        ProjectionRunner runner = producer.runners().get(0);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
            .until(() -> runner.status().phase() == Phase.LIVE);
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("BACKLOAD {} records (4 partitions, JSON rows ~120 bytes) in {} s: {} records/s end to end"
            + " (producer start included); {} s of it waiting for Redis batches", RECORDS, String.format("%.2f", seconds),
            Math.round(RECORDS / seconds), String.format("%.2f", producer.registry().get("distcache.producer.batch")
                .timer().totalTime(java.util.concurrent.TimeUnit.SECONDS)));
        edge.assertEquals(core.state(), ids);
        assertThat(core.state()).hasSizeLessThan(ids.size());

        // live: updates, deletes and re-creations of keys the edge has already cached
        for (int i = 0; i < 5_000; i++) {
          long id = random.nextInt(USERS + 100);
          ids.add(id);
          if (random.nextInt(4) == 0) {
            core.delete(id);
          } else {
            core.upsert(id);
          }
        }
        core.flush();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> edge.matches(core.state(), ids));
        edge.assertEquals(core.state(), ids);
      }
    }
  }

  @Test
  void oneKeyUpdatedManyTimesAcrossAMultiPartitionTopicEndsAtItsLastRevision() {
    Infra.kafka().createCompactedTopic("order.users", 8);
    Set<Long> ids = new HashSet<>();
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "order.users");
        CacheProducer producer = CacheProducer.start(Producers.settings("order.users", "order"));
        Edge edge = new Edge(Infra.redis().uri(), "order")) {
      for (int round = 0; round < 500; round++) {
        for (long id = 0; id < 40; id++) {
          ids.add(id);
          if (round == 250 && id % 5 == 0) {
            core.delete(id);
          } else {
            core.upsert(id);
          }
        }
      }
      core.flush();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> edge.matches(core.state(), ids));
      edge.assertEquals(core.state(), ids);
      assertThat(edge.get(3).get("rev")).isEqualTo(500L);
    }
  }
}
