package io.distcache.benchmarks.remote;

import io.distcache.benchmarks.data.Payload;
import io.distcache.benchmarks.data.RandomKeys;
import io.distcache.benchmarks.report.Group;
import io.distcache.benchmarks.report.Reported;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** Group 2: a single read answered by Redis, decode included. The suite runs it with 1 and with 2 threads. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RemoteGetBenchmark {

  @Benchmark
  @Reported(group = Group.REMOTE_GET, label = "Lettuce sync `GET` + Kryo decode (raw, baseline)", baseline = true)
  public Payload lettuceRaw(RemoteStates.Raw state, RandomKeys keys) {
    return state.redis.get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.REMOTE_GET, label = "distcache near-miss `get`, by value")
  public Payload distcacheByValue(RemoteStates.DistcacheByValue state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.REMOTE_GET, label = "distcache near-miss `get`, by value, `codec.format=positional`")
  public Payload distcacheByValuePositional(RemoteStates.DistcacheByValuePositional state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.REMOTE_GET, label = "distcache near-miss `get`, by reference")
  public Payload distcacheByReference(RemoteStates.DistcacheByReference state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }

  @Benchmark
  @Reported(group = Group.REMOTE_GET, label = "Redisson JCache `get`")
  public Payload redisson(RemoteStates.Redisson state, RandomKeys keys) {
    return state.open.cache().get(keys.nextKey());
  }
}
