package io.distcache.producer;

import io.distcache.jcache.codec.ClassAllowList;
import io.distcache.jcache.codec.KryoValueCodec;
import io.distcache.jcache.codec.ValueCodec;
import io.distcache.jcache.namespace.Namespace;
import io.distcache.producer.config.ProducerConfigurationException;
import io.distcache.producer.config.ProducerSettings;
import io.distcache.producer.ops.OpsServer;
import io.distcache.producer.ops.ProjectionMetrics;
import io.distcache.producer.ops.ProjectionStatus;
import io.distcache.producer.projection.Projection;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.Projections;
import io.distcache.producer.sink.NamespaceSink;
import io.distcache.producer.sink.RedisTarget;
import io.distcache.producer.source.DeadLetters;
import io.distcache.producer.source.TopicSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
  private final URLClassLoader plugins;

  private CacheProducer(ProducerSettings settings) {
    this.plugins = pluginLoader(settings.pluginPath());
    Projections projections = Projections.load(plugins);
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.redis = settings.redisCluster()
        ? RedisTarget.cluster(settings.redisUri(), settings.redisAddress(), settings.clusterReplicaAcks())
        : RedisTarget.standalone(settings.redisUri(), settings.redisAddress());
    ValueCodec codec = new KryoValueCodec(ClassAllowList.defaults(), settings.compressionThreshold(), plugins);
    List<ProjectionRunner> created = new ArrayList<>();
    for (ProjectionSettings projection : settings.projections()) {
      Projection format = projections.find(projection.format());
      if (format == null) {
        throw new ProducerConfigurationException("projection[" + projection.name() + "].format = '" + projection.format()
            + "' is unknown; known formats: " + projections.formats() + " (plugins are loaded from plugin.path)");
      }
      Namespace namespace = Namespace.of(settings.keyPrefix(), projection.namespace());
      created.add(new ProjectionRunner(projection, format,
          new TopicSource(settings.kafka(), projection.topic(), "distcache-producer-" + projection.name(),
              projection.batchSize()),
          new NamespaceSink(redis, namespace, settings.logMaxLength(), projection.tombstoneTtl()),
          new DeadLetters(settings.kafka(), projection.dlqTopic(), projection.name()),
          codec, new ProjectionMetrics(registry, projection.name()), new ProjectionStatus(projection.name())));
    }
    this.runners = List.copyOf(created);
    this.ops = settings.httpPort() < 0 ? null
        : OpsServer.start(settings.httpPort(), registry, runners.stream().map(ProjectionRunner::status).toList());
  }

  /**
   * Starts every projection of the settings on its own thread.
   *
   * @throws ProducerConfigurationException when a projection's format is unknown
   */
  public static CacheProducer start(ProducerSettings settings) {
    LOG.info("starting distcache producer: {}", settings);
    CacheProducer producer = new CacheProducer(settings);
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

  private static URLClassLoader pluginLoader(List<Path> pluginPath) {
    List<URL> urls = new ArrayList<>();
    for (Path entry : pluginPath) {
      try (Stream<Path> jars = Files.isDirectory(entry) ? Files.list(entry).filter(p -> p.toString().endsWith(".jar"))
          : Stream.of(entry)) {
        for (Path jar : jars.toList()) {
          urls.add(jar.toUri().toURL());
        }
      } catch (MalformedURLException e) {
        throw new ProducerConfigurationException("plugin.path entry " + entry + " is not a valid path", e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list plugin directory " + entry, e);
      }
    }
    return new URLClassLoader("distcache-plugins", urls.toArray(URL[]::new), CacheProducer.class.getClassLoader());
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
  public void close() {
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
    redis.close();
    registry.close();
    try {
      plugins.close();
    } catch (IOException e) {
      LOG.debug("closing the plugin class loader failed", e);
    }
    LOG.info("distcache producer stopped");
  }
}
