package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CompletionListenerFuture;
import org.junit.jupiter.api.Test;

/** {@code loadAll} asks the loader once, for exactly the keys the cache does not hold. */
class LoadAllTest {

  @StartedRedis
  private static RedisServer redis;

  @Test
  void loadAllCallsTheLoaderOnceWithAllMissingKeys() throws Exception {
    try (Nodes nodes = new Nodes(redis.uri(), "it-load-all")) {
      CountingLoader loader = new CountingLoader();
      Cache<String, String> writer = nodes.node().createCache("loaded",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      Cache<String, String> cache = nodes.node().createCache("loaded",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class)
              .setCacheLoaderFactory(factoryOf(loader)));
      Set<String> keys = IntStream.range(0, 100).mapToObj(i -> "k" + i).collect(Collectors.toSet());
      Set<String> present = keys.stream().filter(key -> key.hashCode() % 3 == 0).collect(Collectors.toSet());
      // Written by another manager: the loading one does not hold them near, so it must look in Redis.
      writer.putAll(present.stream().collect(Collectors.toMap(Function.identity(), key -> "stored " + key)));
      Set<String> missing = new HashSet<>(keys);
      missing.removeAll(present);

      load(cache, keys, false);
      assertThat(loader.loadAllCalls).hasSize(1);
      assertThat(loader.loadAllCalls.get(0)).containsExactlyInAnyOrderElementsOf(missing);
      assertThat(loader.singleLoads).isZero();
      assertThat(cache.getAll(keys)).hasSize(keys.size())
          .allSatisfy((key, value) -> assertThat(value).isEqualTo((present.contains(key) ? "stored " : "loaded ") + key));

      load(cache, keys, true);
      assertThat(loader.loadAllCalls).hasSize(2);
      assertThat(loader.loadAllCalls.get(1)).containsExactlyInAnyOrderElementsOf(keys);
      assertThat(cache.getAll(keys)).allSatisfy((key, value) -> assertThat(value).isEqualTo("loaded " + key));
      // The other manager held the replaced value near; the change log replaces it there too.
      String replaced = present.iterator().next();
      await().atMost(Duration.ofSeconds(1)).until(() -> writer.get(replaced).startsWith("loaded "));
      assertThat(loader.singleLoads).isZero();
    }
  }

  private static void load(Cache<String, String> cache, Set<String> keys, boolean replaceExisting) throws Exception {
    CompletionListenerFuture done = new CompletionListenerFuture();
    cache.loadAll(keys, replaceExisting, done);
    done.get(30, TimeUnit.SECONDS);
  }

  private static Factory<CacheLoader<String, String>> factoryOf(CacheLoader<String, String> loader) {
    // Factories are Serializable by contract; this one is never serialized, the loader it hands out is shared.
    return () -> loader;
  }

  /** Answers "loaded &lt;key&gt;" and records every call. */
  private static final class CountingLoader implements CacheLoader<String, String> {

    final List<List<String>> loadAllCalls = new CopyOnWriteArrayList<>();
    volatile int singleLoads;

    @Override
    public String load(String key) {
      singleLoads++;
      return "loaded " + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      List<String> asked = new ArrayList<>();
      keys.forEach(asked::add);
      loadAllCalls.add(asked);
      return asked.stream().collect(Collectors.toMap(Function.identity(), key -> "loaded " + key));
    }
  }
}
