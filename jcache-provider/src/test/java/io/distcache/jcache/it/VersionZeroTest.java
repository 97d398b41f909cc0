package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.distcache.jcache.coherence.ForeignWriter;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Version 0 is a real version: a producer writes it for a partition's first offset. Conditional
 * operations on such an entry must complete, not take it for an absent one and retry forever.
 */
class VersionZeroTest {

  private static final Duration LIMIT = Duration.ofSeconds(5);

  @StartedRedis
  private RedisServer redis;

  /** Writes {@code value} at version 0 the way a producer does for the first offset of a partition. */
  private void writeAtVersionZero(String key, String value) {
    try (ForeignWriter writer = new ForeignWriter(redis.uri(), "v0", "offsets")) {
      writer.write(key, value, 0);
    }
  }

  @Test
  void conditionalOperationsOnAnEntryAtVersionZeroComplete() {
    try (Nodes nodes = new Nodes(redis.uri(), "v0")) {
      Cache<String, String> cache = nodes.node().createCache("offsets",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      writeAtVersionZero("replaced", "first");
      writeAtVersionZero("removed", "first");
      writeAtVersionZero("invoked", "first");

      assertTimeoutPreemptively(LIMIT, () -> assertThat(cache.replace("replaced", "first", "second")).isTrue());
      assertTimeoutPreemptively(LIMIT, () -> assertThat(cache.remove("removed", "first")).isTrue());
      String seen = assertTimeoutPreemptively(LIMIT, () -> cache.invoke("invoked", (entry, args) -> {
        String old = entry.getValue();
        entry.setValue("second");
        return old;
      }));

      assertThat(seen).isEqualTo("first");
      assertThat(cache.get("replaced")).isEqualTo("second");
      assertThat(cache.containsKey("removed")).isFalse();
      assertThat(cache.get("invoked")).isEqualTo("second");
    }
  }
}
