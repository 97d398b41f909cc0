package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.fixture.CoreTopic;
import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.ProducerProcess;
import io.distcache.producer.fixture.Producers;
import io.distcache.producer.fixture.ResumeOffsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM lets the producer process finish its batch and exit 0; a restart resumes from the stored offsets. */
class SigtermTest {

  @Test
  void sigtermFinishesTheBatchAndExitsZero(@TempDir Path dir) throws Exception {
    Infra.kafka().createCompactedTopic("term.users", 2);
    Set<Long> ids = new HashSet<>();
    ProducerProcess producer = new ProducerProcess(dir, Producers.properties("term.users", "term"));
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "term.users");
        Edge edge = new Edge(Infra.redis().uri(), "term")) {
      for (long id = 0; id < 3_000; id++) {
        ids.add(id);
        core.upsert(id);
      }
      core.flush();
      producer.start();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> edge.matches(core.state(), ids));
      assertThat(producer.terminate()).isZero();
      assertThat(producer.log()).contains("distcache producer stopped");

      for (long id = 0; id < 100; id++) {
        core.upsert(id);
      }
      core.flush();
      producer.start();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> edge.matches(core.state(), ids));
      String restart = producer.log().substring(producer.log().indexOf("distcache producer stopped"));
      assertThat(restart).contains("starting at {0=1").doesNotContain("starting at {0=0, 1=0}");
    } finally {
      producer.kill();
    }
  }

  @Test
  void sigtermDuringABackloadConfirmsTheBatchInFlightStoresItsOffsetsAndGivesTheClaimUp(@TempDir Path dir)
      throws Exception {
    Infra.kafka().createCompactedTopic("term.busy", 2);
    Set<Long> ids = new HashSet<>();
    ProducerProcess producer = new ProducerProcess(dir, Producers.properties("term.busy", "termbusy"));
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), "term.busy")) {
      for (long id = 0; id < 200_000; id++) {
        ids.add(id % 50_000);
        core.upsert(id % 50_000);
      }
      core.flush();
      producer.start();
      // in the middle of the backload: batches in flight
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> ResumeOffsets.sum("termbusy", 2) > 0);
      long atSigterm = ResumeOffsets.sum("termbusy", 2);
      assertThat(producer.terminate()).isZero();
      assertThat(atSigterm).as("SIGTERM came during the backload").isLessThan(200_000);
      assertThat(ResumeOffsets.sum("termbusy", 2)).as("the stop did not wait for the backload's end").isLessThan(200_000);

      String log = producer.log();
      assertThat(log).contains("stopped with every batch confirmed").doesNotContain("was not confirmed");
      Matcher stopped = Pattern.compile("next offsets \\{([^}]*)} stored in").matcher(log);
      assertThat(stopped.find()).isTrue();
      for (String partition : stopped.group(1).split(", ")) {
        String[] parts = partition.split("=");
        assertThat(Infra.redis().command("HGET", "dc:{dc}:termbusy:meta", ResumeOffsets.field("termbusy") + parts[0]))
            .as("partition %s: what the producer confirmed is what Redis holds", parts[0]).isEqualTo(parts[1]);
      }
      assertThat(ResumeOffsets.sum("termbusy", 2)).isGreaterThanOrEqualTo(atSigterm);
      assertThat(Infra.redis().command("HEXISTS", "dc:{dc}:termbusy:meta", "writer")).as("claim given up")
          .isEqualTo("0");

      // the next start goes on from there and ends exact
      producer.start();
      try (Edge edge = new Edge(Infra.redis().uri(), "termbusy")) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
            .until(() -> edge.matches(core.state(), ids));
      }
    } finally {
      producer.kill();
    }
  }
}
