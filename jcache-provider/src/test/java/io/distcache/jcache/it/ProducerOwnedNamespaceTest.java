package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.jcache.coherence.ForeignWriter;
import io.distcache.jcache.redis.ProducerOwnedNamespaceException;
import io.distcache.testkit.RedisServer;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A namespace whose meta hash names a producer as its owner is read-only for edges: every write is refused
 * with a message naming the owner, nothing is written, and reads go on.
 */
class ProducerOwnedNamespaceTest {

  private RedisServer redis;

  @BeforeEach
  void startRedis() {
    redis = RedisServer.start();
  }

  @AfterEach
  void stopRedis() {
    redis.stop();
  }

  @Test
  void everyWriteIsRefusedAndNothingIsWritten() {
    try (ForeignWriter producer = new ForeignWriter(redis.uri(), "po", "rows");
        Nodes nodes = new Nodes(redis.uri(), "po")) {
      producer.write("a", "from the topic", 7);
      redis.command("HSET", "po:{po}:rows:meta", "owner", "producer:core.rows");
      Cache<String, String> cache = nodes.node().createCache("rows",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      String logBefore = redis.command("XLEN", "po:{po}:rows:log");

      assertRefused(() -> cache.put("a", "edited at the edge"));
      assertRefused(() -> cache.put("b", "new at the edge"));
      assertRefused(() -> cache.remove("a"));
      assertRefused(() -> cache.putAll(Map.of("c", "1", "d", "2")));
      assertRefused(() -> cache.replace("a", "from the topic", "edited"));
      assertRefused(cache::clear);

      assertThat(cache.get("a")).isEqualTo("from the topic");
      assertThat(cache.get("b")).isNull();
      assertThat(redis.command("XLEN", "po:{po}:rows:log")).isEqualTo(logBefore);
    }
  }

  @Test
  void aNamespaceOwnedByNoProducerStaysWritable() {
    try (Nodes nodes = new Nodes(redis.uri(), "po")) {
      redis.command("HSET", "po:{po}:free:meta", "owner", "team-a");
      Cache<String, String> cache = nodes.node().createCache("free",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.put("a", "1");
      assertThat(cache.get("a")).isEqualTo("1");
    }
  }

  private static void assertRefused(Runnable write) {
    assertThatThrownBy(write::run).isInstanceOf(ProducerOwnedNamespaceException.class)
        .hasMessageContaining("namespace po:rows")
        .hasMessageContaining("written by producer:core.rows");
  }
}
