package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.jcache.it.model.MutableBox;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Store-by-value isolates the cache from its callers' objects; store-by-reference shares them. */
class StoreByValueTest {

  @StartedRedis
  private static RedisServer redis;
  private Nodes nodes;

  @BeforeEach
  void openNodes() {
    nodes = new Nodes(redis.uri(), "it-store-by");
  }

  @AfterEach
  void closeNodes() {
    nodes.close();
  }

  @Test
  void mutatingAValueAfterPutOrGetNeverChangesTheCachedValue() {
    Cache<String, MutableBox> cache = nodes.node().createCache("by-value",
        new MutableConfiguration<String, MutableBox>().setTypes(String.class, MutableBox.class));
    MutableBox put = new MutableBox("original", "a", "b");
    cache.put("box", put);

    put.relabel("changed after put");
    put.items().add("c");
    assertThat(cache.get("box")).isEqualTo(new MutableBox("original", "a", "b"));

    MutableBox got = cache.get("box");
    got.relabel("changed after get");
    got.items().clear();
    MutableBox again = cache.get("box");
    assertThat(again).isEqualTo(new MutableBox("original", "a", "b")).isNotSameAs(got);

    // The same holds for a value another manager read from Redis into its own near cache.
    Cache<String, MutableBox> other = nodes.node().createCache("by-value",
        new MutableConfiguration<String, MutableBox>().setTypes(String.class, MutableBox.class));
    MutableBox remote = other.get("box");
    remote.items().add("changed on the other manager");
    assertThat(other.get("box")).isEqualTo(new MutableBox("original", "a", "b"));
  }

  @Test
  void storeByReferenceReturnsTheSameInstance() {
    Cache<String, MutableBox> cache = nodes.node().createCache("by-reference",
        new MutableConfiguration<String, MutableBox>().setTypes(String.class, MutableBox.class).setStoreByValue(false));
    MutableBox put = new MutableBox("shared", "a");
    cache.put("box", put);

    assertThat(cache.get("box")).isSameAs(put);
    assertThat(cache.getAndPut("box", new MutableBox("next"))).isSameAs(put);
  }
}
