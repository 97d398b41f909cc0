package io.distcache.producer;

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
        new KillScenario(topic, Producers.properties(topic, namespace), edge, () -> storedOffsets(namespace))
            .run(Files.createDirectory(dir.resolve("run-" + run)), run * 31L);
      }
    }
  }

  /** The offsets a restart resumes from: those of the build under way, if there is one, else the namespace's. */
  private static long storedOffsets(String namespace) {
    String meta = "dc:{dc}:" + namespace + ":meta";
    String building = Infra.redis().command("HGET", meta, "shadow");
    String field = building == null || building.isEmpty() ? "offset:" : "shadow-offset:";
    long sum = 0;
    for (int partition = 0; partition < KillScenario.partitions(); partition++) {
      String offset = Infra.redis().command("HGET", meta, field + partition);
      sum += offset == null || offset.isEmpty() ? 0 : Long.parseLong(offset);
    }
    return sum;
  }
}
