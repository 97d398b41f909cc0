package io.distcache.benchmarks.bulk;

import io.distcache.benchmarks.data.KeyBatches;
import io.distcache.benchmarks.data.Payload;
import io.distcache.benchmarks.remote.RemoteStates;
import io.distcache.benchmarks.report.Group;
import io.distcache.benchmarks.report.Reported;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** Group 3: 100 random distinct keys read from Redis (cold: the distcache near cache holds nothing). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BulkGetBenchmark {

  @Benchmark
  @Reported(group = Group.BULK_GET, label = "one Lettuce `MGET` of 100 + decode (raw, baseline)", baseline = true)
  public List<Payload> lettuceMget(RemoteStates.Raw state, KeyBatches batches) {
    return state.redis.multiGet(batches.array(batches.next()));
  }

  @Benchmark
  @Reported(group = Group.BULK_GET, label = "100 sequential Lettuce `GET`s + decode (raw)")
  public List<Payload> lettuceSequentialGets(RemoteStates.Raw state, KeyBatches batches) {
    String[] keys = batches.array(batches.next());
    List<Payload> values = new ArrayList<>(keys.length);
    for (String key : keys) {
      values.add(state.redis.get(key));
    }
    return values;
  }

  @Benchmark
  @Reported(group = Group.BULK_GET, label = "distcache `getAll(100)` cold, by value")
  public Map<String, Payload> distcacheGetAll(RemoteStates.DistcacheByValue state, KeyBatches batches) {
    return state.open.cache().getAll(batches.set(batches.next()));
  }

  @Benchmark
  @Reported(group = Group.BULK_GET, label = "Redisson JCache `getAll(100)`")
  public Map<String, Payload> redissonGetAll(RemoteStates.Redisson state, KeyBatches batches) {
    return state.open.cache().getAll(batches.set(batches.next()));
  }
}
