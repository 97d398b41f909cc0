package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distcache.producer.config.ProducerSettings;
import io.distcache.producer.ops.ProjectionStatus.Phase;
import io.distcache.protocol.codec.Envelope;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Two producer instances on one projection (a late second one, then a third racing the first) while a
 * watcher reads every entry's stored version: only the first writes while the others stand by, the
 * last one takes over when the first stops, no version may ever go back, and the namespace must end as
 * the compacted state. Shared by the standalone and the Redis Cluster tests.
 */
final class TwinsScenario {

  private static final int USERS = 50;

  private TwinsScenario() {
  }

  /**
   * @param settings the projection's settings, for each instance
   * @param namespace reads the namespace for the final comparison
   * @param storedEntry the raw Redis value of user {@code id}, read from the watcher thread
   */
  static void run(String topic, Supplier<ProducerSettings> settings, NamespaceReader namespace,
      LongFunction<byte[]> storedEntry) throws InterruptedException {
    Infra.kafka().createCompactedTopic(topic, 4);
    Set<Long> ids = new HashSet<>();
    Map<Long, Long> highestSeen = new ConcurrentHashMap<>();
    AtomicBoolean regressed = new AtomicBoolean();
    AtomicBoolean watching = new AtomicBoolean(true);
    try (CoreTopic core = new CoreTopic(Infra.kafka().bootstrapServers(), topic);
        CacheProducer first = CacheProducer.start(settings.get())) {
      Random random = new Random(11);
      AtomicReference<Throwable> watcherFailure = new AtomicReference<>();
      Thread watcher = new Thread(() -> {
        // the stored version (source offset) of a key must never go back, whichever instance wrote last
        try {
          while (watching.get()) {
            for (long id = 0; id < USERS; id++) {
              byte[] raw = storedEntry.apply(id);
              if (raw != null) {
                long version = Envelope.versionOf(raw);
                if (highestSeen.merge(id, version, Math::max) > version) {
                  regressed.set(true);
                }
              }
            }
          }
        } catch (RuntimeException | Error e) {
          watcherFailure.set(e);
        }
      });
      watcher.start();
      CacheProducer second = null;
      try {
        for (int i = 0; i < 20_000; i++) {
          long id = random.nextInt(USERS);
          ids.add(id);
          core.upsert(id);
          if (i == 5_000) {
            core.flush();
            // a second instance starts late and replays the topic from the stored offsets
            second = CacheProducer.start(settings.get());
          }
          if (i == 15_000) {
            second.close();
            // and a third one starts again from whatever it finds, racing the first
            second = CacheProducer.start(settings.get());
          }
        }
        core.flush();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> namespace.matches(core.state(), ids));
        // one instance writes, the others stand by: the first one holds its claim
        ProjectionRunner writer = first.runners().get(0);
        ProjectionRunner late = second.runners().get(0);
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.status().phase() == Phase.LIVE);
        assertThat(late.status().phase()).as("the late instance stands by").isEqualTo(Phase.STANDBY);
        // when the writer stops, the standby takes over and follows the topic
        first.close();
        await().atMost(Duration.ofSeconds(60)).until(() -> late.status().phase() == Phase.LIVE);
        for (int i = 0; i < 1_000; i++) {
          long id = random.nextInt(USERS);
          core.upsert(id);
        }
        core.flush();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> namespace.matches(core.state(), ids));
      } finally {
        watching.set(false);
        watcher.join();
        if (second != null) {
          second.close();
        }
      }
      assertThat(watcherFailure.get()).as("the watcher ran to the end").isNull();
      assertThat(highestSeen).as("the watcher saw the entries").hasSize(USERS);
      assertThat(regressed).as("a stored version went backwards").isFalse();
      namespace.assertEquals(core.state(), ids);
    }
  }
}
