package io.distcache.producer;

import io.distcache.producer.fixture.Edge;
import io.distcache.producer.fixture.Infra;
import io.distcache.producer.fixture.KillScenario;
import io.distcache.producer.fixture.Producers;
import io.distcache.producer.fixture.ResumeOffsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the producer process at random points of backload and live traffic, then a restart:
 * the namespace ends up exactly the compacted state, in every one of five runs.
 */
class KillAndRestartTest {

  private static final int RUNS = 5;

  @Test
  void killedProducersRestartIntoTheExactCompactedState(@TempDir Path dir) throws Exception {
    for (int run = 1; run <= RUNS; run++) {
      String topic = "kill.users." + run;
      String namespace = "kill-" + run;
      try (Edge edge = new Edge(Infra.redis().uri(), namespace)) {
        new KillScenario(topic, Producers.properties(topic, namespace), edge, () -> ResumeOffsets.sum(namespace, KillScenario.partitions()))
            .run(Files.createDirectory(dir.resolve("run-" + run)), run * 31L);
      }
    }
  }
}
