package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.jcache.coherence.ForeignWriter;
import io.distcache.protocol.codec.CorruptValueException;
import io.distcache.protocol.codec.EncodedValue;
import io.distcache.protocol.codec.Envelope;
import io.distcache.protocol.namespace.Namespace;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import org.junit.jupiter.api.Test;

/**
 * A stored value this JVM cannot decode (another version of its class, another tool, damage) is a miss by
 * default, and an exception with {@code codec.on-undecodable=fail}.
 */
class UndecodableValueTest {

  /** A Kryo envelope whose payload names no class Kryo knows: what a foreign or damaged value looks like. */
  private static final EncodedValue GARBAGE = new EncodedValue(Envelope.CODEC_KRYO, new byte[] {(byte) 0x7f, 3, 9});
  static final AtomicInteger LOADS = new AtomicInteger();

  @StartedRedis
  private static RedisServer redis;

  /** Loads "loaded-" + key. */
  public static final class Loader implements CacheLoader<String, String> {
    @Override
    public String load(String key) {
      LOADS.incrementAndGet();
      return "loaded-" + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      throw new UnsupportedOperationException();
    }
  }

  private static void writeUndecodable(String prefix, String cacheName, String key) {
    try (ForeignWriter writer = new ForeignWriter(redis.uri(), prefix, cacheName)) {
      writer.write(key, GARBAGE, 7);
    }
  }

  private static MutableConfiguration<String, String> strings() {
    return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
  }

  @Test
  void anUndecodableValueIsAMissForReadsAndAbsentForWrites() {
    try (Nodes nodes = new Nodes(redis.uri(), "undecodable")) {
      Cache<String, String> cache = nodes.node().createCache("c", strings());
      cache.put("good", "v");
      writeUndecodable("undecodable", "c", "bad");

      assertThat(cache.get("bad")).isNull();
      assertThat(cache.getAll(Set.of("bad", "good"))).containsExactly(Map.entry("good", "v"));
      java.util.List<String> iterated = new java.util.ArrayList<>();
      cache.forEach(entry -> iterated.add(entry.getKey()));
      assertThat(iterated).containsExactly("good");
      assertThat(Nodes.dist(cache).metrics().undecodableValues()).isEqualTo(3);

      assertThat(cache.replace("bad", "x")).as("replace of a value read as absent").isFalse();
      assertThat(cache.putIfAbsent("bad", "fresh")).as("putIfAbsent replaces the undecodable entry").isTrue();
      assertThat(cache.get("bad")).isEqualTo("fresh");
      assertThat(nodes.node().createCache("c", strings()).get("bad")).as("another manager").isEqualTo("fresh");

      writeUndecodable("undecodable", "c", "bad");
      Boolean exists = cache.invoke("bad", (entry, arguments) -> entry.exists());
      assertThat(exists).as("an EntryProcessor sees no entry").isFalse();
      assertThat(cache.remove("bad")).as("remove deletes it all the same").isTrue();
      assertThat(redis.command("EXISTS", Namespace.of("undecodable", "c").entryKey("s:bad"))).isEqualTo("0");
    }
  }

  @Test
  void aReadThroughCacheLoadsAKeyWhoseValueIsUndecodable() {
    try (Nodes nodes = new Nodes(redis.uri(), "undecodable-load")) {
      Cache<String, String> cache = nodes.node().createCache("c", strings().setReadThrough(true)
          .setCacheLoaderFactory(FactoryBuilder.factoryOf(Loader.class)));
      writeUndecodable("undecodable-load", "c", "bad");
      LOADS.set(0);

      assertThat(cache.get("bad")).isEqualTo("loaded-bad");
      assertThat(LOADS.get()).isEqualTo(1);
      assertThat(nodes.node().createCache("c", strings()).get("bad")).as("the loaded value replaced it in Redis")
          .isEqualTo("loaded-bad");
    }
  }

  @Test
  void withOnUndecodableFailAReadThrowsNamingWhatToDo() {
    try (Nodes nodes = new Nodes(redis.uri(), "undecodable-fail")) {
      Cache<String, String> cache = nodes.node("codec.on-undecodable", "fail").createCache("c", strings());
      writeUndecodable("undecodable-fail", "c", "bad");

      assertThatThrownBy(() -> cache.get("bad")).isInstanceOf(CorruptValueException.class)
          .hasMessageContaining("cannot be decoded").hasMessageContaining("Evict the key");
    }
  }
}
