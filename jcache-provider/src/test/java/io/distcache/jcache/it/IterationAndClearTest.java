package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/** {@code iterator()} and {@code clear()} cover large namespaces in batches, never in one command. */
class IterationAndClearTest {

  private static final int ENTRIES = 2_500;

  @StartedRedis
  private static RedisServer redis;

  @Test
  void iteratorSeesEveryEntryAndClearRemovesThemAllInBatches() {
    try (Nodes nodes = new Nodes(redis.uri(), "it-iterate")) {
      MutableConfiguration<Integer, String> configuration =
          new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class);
      Cache<Integer, String> writer = nodes.node().createCache("many", configuration);
      Cache<Integer, String> reader = nodes.node().createCache("many", configuration);
      // Another namespace on the same server, which neither the iteration nor the clear may touch.
      Cache<Integer, String> bystander = nodes.node().createCache("bystander", configuration);
      bystander.put(1, "stays");
      Map<Integer, String> entries = IntStream.range(0, ENTRIES).boxed()
          .collect(Collectors.toMap(Function.identity(), i -> "value-" + i));
      writer.putAll(entries);

      redis.resetStats();
      Map<Integer, String> seen = new HashMap<>();
      for (Cache.Entry<Integer, String> entry : reader) {
        assertThat(seen.put(entry.getKey(), entry.getValue())).as("seen once: %s", entry.getKey()).isNull();
      }
      assertThat(seen).isEqualTo(entries);
      Map<String, Long> iterationCalls = RedisCommands.dataCalls(redis);
      System.out.println("iterating " + ENTRIES + " entries: " + iterationCalls);
      assertThat(iterationCalls.get("scan")).isGreaterThanOrEqualTo(ENTRIES / 500);
      assertThat(iterationCalls.get("mget")).isGreaterThan(1);

      redis.resetStats();
      writer.clear();
      Map<String, Long> clearCalls = RedisCommands.dataCalls(redis);
      System.out.println("clearing " + ENTRIES + " entries: " + clearCalls);
      assertThat(clearCalls.get("scan")).isGreaterThanOrEqualTo(ENTRIES / 500);
      assertThat(clearCalls.get("unlink")).isGreaterThan(1);

      assertThat(reader.iterator().hasNext()).isFalse();
      assertThat(writer.iterator().hasNext()).isFalse();
      assertThat(writer.get(7)).isNull();
      assertThat(bystander.get(1)).isEqualTo("stays");
      // checked in Redis itself, not through the bystander's own near copy
      assertThat(redis.command("KEYS", "it-iterate:bystander:k:*")).as("the bystander's entry in Redis").isNotBlank();
      assertThat(redis.command("KEYS", "it-iterate:many:k:*")).as("the cleared namespace in Redis").isBlank();
    }
  }
}
