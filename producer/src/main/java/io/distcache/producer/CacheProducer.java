package io.distcache.producer;

import io.distcache.producer.config.ProducerConfigurationException;
import io.distcache.producer.config.ProducerSettings;
import io.distcache.producer.ops.OpsServer;
import io.distcache.producer.ops.ProjectionMetrics;
import io.distcache.producer.ops.ProjectionStatus;
import io.distcache.producer.projection.Projection;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.RebuildMode;
import io.distcache.producer.sink.EvictionCheck;
import io.distcache.producer.sink.NamespaceSink;
import io.distcache.producer.sink.RedisTarget;
import io.distcache.producer.sink.SinkUnavailableException;
import io.distcache.producer.source.DeadLetters;
import io.distcache.producer.source.TopicSource;
import io.distcache.protocol.codec.ClassAllowList;
import io.distcache.protocol.codec.KryoValueCodec;
import io.distcache.protocol.codec.ValueCodec;
import io.distcache.protocol.namespace.Namespace;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running producer: one {@link ProjectionRunner} thread per configured projection, a Redis client
 * (standalone/Sentinel master or Redis Cluster),
 * Micrometer metrics and, unless disabled, the {@code /metrics} and {@code /health} server.
 *
 * <pre>
 * try (CacheProducer producer = CacheProducer.start(SettingsFile.read(Path.of("producer.properties")))) {
 *   producer.awaitStop();
 * }
 * </pre>
 */
public final class CacheProducer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CacheProducer.class);
  private static final long JOIN_MILLIS = 30_000;

  private final RedisTarget redis;
  private final PrometheusMeterRegistry registry;
  private final List<ProjectionRunner> runners;
  private final List<Thread> threads = new ArrayList<>();
  private final OpsServer ops;
  private final Plugins plugins;
  private final EvictionCheck evictionCheck;
  private final List<AutoCloseable> kafkaMetrics;
  private boolean closed;

  private CacheProducer(ProducerSettings settings) {
    this.plugins = Plugins.load(settings.pluginPath());
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    bindProcessMetrics(registry);
    this.redis = RedisTarget.of(settings.redis());
    ValueCodec codec = new KryoValueCodec(ClassAllowList.defaults(), settings.compressionThreshold(),
        plugins.classLoader());
    this.evictionCheck = new EvictionCheck(redis, settings.redis().allowAllkeysEviction());
    List<ProjectionRunner> created = new ArrayList<>();
    List<AutoCloseable> clientMetrics = new ArrayList<>();
    for (ProjectionSettings projection : settings.projections()) {
      Projection format = plugins.projectionFor(projection);
      Namespace namespace = Namespace.of(settings.keyPrefix(), projection.namespace());
      TopicSource source = new TopicSource(settings.kafka(), projection.topic(), "distcache-producer-"
          + projection.name(), projection.batchSize(), projection.group());
      clientMetrics.add(source.bindMetrics(registry));
      String instance = UUID.randomUUID().toString();
      // the members of a group share the namespace's claim, and each owns the partitions the group gives it;
      // a generation is built beside the current one only by a writer that reads every partition
      NamespaceSink sink = projection.group() == null
          ? new NamespaceSink(redis, namespace, instance, settings.logMaxLength(), projection.tombstoneTtl(),
              projection.rebuild() == RebuildMode.BESIDE)
          : new NamespaceSink(redis, namespace, "group:" + projection.group(), instance, settings.logMaxLength(),
              projection.tombstoneTtl(), false);
      created.add(new ProjectionRunner(projection, format, source, sink,
          new DeadLetters(settings.kafka(), projection.dlqTopic(), projection.name()),
          codec, new ProjectionMetrics(registry, projection.name()), new ProjectionStatus(projection.name()),
          evictionCheck, settings.claimTime()));
    }
    this.runners = List.copyOf(created);
    this.kafkaMetrics = List.copyOf(clientMetrics);
    this.ops = settings.httpPort() < 0 ? null
        : OpsServer.start(settings.httpBindAddress(), settings.httpPort(), registry, runners.stream().map(ProjectionRunner::status).toList());
  }

  /**
   * Starts every projection of the settings on its own thread.
   *
   * @throws ProducerConfigurationException when a projection's format is unknown, or Redis may evict any key
   */
  public static CacheProducer start(ProducerSettings settings) {
    LOG.info("starting distcache producer: {}", settings);
    CacheProducer producer = new CacheProducer(settings);
    try {
      producer.evictionCheck.verify();
    } catch (SinkUnavailableException e) {
      LOG.warn("cannot check Redis's maxmemory-policy now ({}); each projection checks it when Redis answers",
          e.getMessage());
    } catch (RuntimeException e) {
      producer.close();
      throw e;
    }
    for (ProjectionRunner runner : producer.runners) {
      Thread thread = new Thread(runner, "distcache-producer-" + runner.status().name());
      producer.threads.add(thread);
      thread.start();
    }
    if (producer.ops != null) {
      LOG.info("metrics on http://localhost:{}/metrics, health on http://localhost:{}/health", producer.ops.port(),
          producer.ops.port());
    }
    return producer;
  }

  /** JVM, process and system meters, next to the producer's own. */
  private static void bindProcessMetrics(PrometheusMeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** The projection runners, in configuration order. */
  public List<ProjectionRunner> runners() {
    return runners;
  }

  /** The metrics registry (Prometheus). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The port of {@code /metrics} and {@code /health}, or -1 when disabled. */
  public int httpPort() {
    return ops == null ? -1 : ops.port();
  }

  /** Waits until every projection thread ended (after {@link #close()} from another thread). */
  public void awaitStop() throws InterruptedException {
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** Lets every projection finish its batch in flight, then stops threads, server and connections. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    runners.forEach(ProjectionRunner::stop);
    for (Thread thread : threads) {
      try {
        thread.join(JOIN_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (ops != null) {
      ops.close();
    }
    for (AutoCloseable meters : kafkaMetrics) {
      try {
        meters.close();
      } catch (Exception e) {
        LOG.debug("unbinding Kafka client metrics failed", e);
      }
    }
    redis.close();
    registry.close();
    plugins.close();
    LOG.info("distcache producer stopped");
  }
}
