package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.jcache.coherence.ForeignWriter;
import io.distcache.jcache.redis.ProducerOwnedNamespaceException;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import io.distcache.jcache.configuration.DistCacheConfiguration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CompletionListenerFuture;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * A namespace whose meta hash names a producer as its owner is read-only for edges: every write is refused
 * with a message naming the owner, nothing is written, and reads go on.
 */
class ProducerOwnedNamespaceTest {

  @StartedRedis
  private RedisServer redis;

  @Test
  void everyWriteIsRefusedAndNothingIsWritten() {
    try (Nodes nodes = new Nodes(redis.uri(), "po")) {
      projectOneRow();
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
  void accessExpiryLeavesTheProducersEntriesAloneAndReadThroughLoadsAreReturnedButNotStored() {
    try (Nodes nodes = new Nodes(redis.uri(), "po")) {
      projectOneRow();
      Cache<String, String> accessed = nodes.node().createCache("rows",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class)
              .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 5))));
      assertThat(accessed.get("a")).isEqualTo("from the topic");
      assertThat(redis.command("PTTL", "po:rows:k:s:a")).as("the entry stays eternal").isEqualTo("-1");

      Cache<String, String> loading = nodes.node().createCache("loading",
          new DistCacheConfiguration<String, String>().setNamespace("rows").setTypes(String.class, String.class)
              .setReadThrough(true).setCacheLoaderFactory(() -> new CacheLoader<>() {
                @Override
                public String load(String key) {
                  return "loaded " + key;
                }

                @Override
                public Map<String, String> loadAll(Iterable<? extends String> keys) {
                  Map<String, String> loaded = new java.util.HashMap<>();
                  keys.forEach(key -> loaded.put(key, load(key)));
                  return loaded;
                }
              }));
      assertThat(loading.get("missing")).isEqualTo("loaded missing");
      assertThat(loading.getAll(Set.of("b", "c"))).containsOnlyKeys("b", "c");
      assertThat(redis.command("EXISTS", "po:rows:k:s:missing", "po:rows:k:s:b")).as("nothing stored").isEqualTo("0");
      assertThat(loading.get("a")).isEqualTo("from the topic");

      // an explicit loadAll exists to store: its listener is told that it could not
      CompletionListenerFuture loaded = new CompletionListenerFuture();
      loading.loadAll(Set.of("d"), false, loaded);
      assertThatThrownBy(loaded::get).hasRootCauseInstanceOf(ProducerOwnedNamespaceException.class);
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

  /** Writes row {@code a} the way the producer of topic {@code core.rows} does, and records it as the owner. */
  private void projectOneRow() {
    try (ForeignWriter producer = new ForeignWriter(redis.uri(), "po", "rows")) {
      producer.write("a", "from the topic", 7);
    }
    redis.command("HSET", "po:{po}:rows:meta", "owner", "producer:core.rows");
  }

  private static void assertRefused(Runnable write) {
    assertThatThrownBy(write::run).isInstanceOf(ProducerOwnedNamespaceException.class)
        .hasMessageContaining("namespace po:rows")
        .hasMessageContaining("written by producer:core.rows");
  }
}
