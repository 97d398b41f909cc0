package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
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
}
