package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/** {@code getAll} of keys the near cache does not hold costs one round trip, however many keys. */
class GetAllTest {

  @StartedRedis
  private static RedisServer redis;

  @Test
  void coldGetAllOfHundredKeysIsOneMget() {
    try (Nodes nodes = new Nodes(redis.uri(), "it-get-all")) {
      MutableConfiguration<String, Integer> configuration =
          new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class);
      Cache<String, Integer> writer = nodes.node().createCache("numbers", configuration);
      Set<String> keys = IntStream.range(0, 100).mapToObj(i -> "n" + i).collect(Collectors.toSet());
      Map<String, Integer> values = keys.stream().collect(Collectors.toMap(Function.identity(), key -> key.length()));
      writer.putAll(values);
      Cache<String, Integer> reader = nodes.node().createCache("numbers", configuration);

      try (EntryCommandMonitor monitor = EntryCommandMonitor.start(redis, "it-get-all", "numbers")) {
        redis.resetStats();
        assertThat(reader.getAll(keys)).isEqualTo(values);
        // Command statistics, which the replica heartbeat's GET may add to, and the exact view.
        assertThat(redis.commandCalls()).containsEntry("mget", 1L);
        assertThat(monitor.names()).containsExactly("mget");

        // Now all of them are near: the same getAll sends nothing.
        monitor.clear();
        redis.resetStats();
        assertThat(reader.getAll(keys)).isEqualTo(values);
        assertThat(redis.commandCalls()).doesNotContainKey("mget");
        assertThat(monitor.names()).isEmpty();
      }
    }
  }
}
