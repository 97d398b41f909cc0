package io.distcache.producer.projection;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One projection of a topic into a namespace, as read from {@code projection[<name>].*} keys.
 *
 * @param name the projection's name in the configuration file
 * @param topic the compacted source topic
 * @param namespace the escaped Redis namespace the projection writes
 * @param format the projection format: {@code json}, {@code debezium}, {@code flattened} or one a plugin provides
 * @param keyTemplate how the cache key is built from key and value fields
 * @param fields which value fields are kept and under which names
 * @param batchSize the most records applied to Redis in one batch
 * @param truncate what a Debezium truncate does
 * @param dlqTopic the dead-letter topic, or {@code null} to only log and count bad records
 * @param maxValueBytes Kafka values larger than this are rejected
 * @param tombstoneTtl how long a delete's tombstone blocks older writes (like Kafka's {@code delete.retention.ms})
 * @param onOffsetRegression what happens when the stored offsets no longer describe the topic
 * @param version the projection's version: when it differs from the one the namespace was built with, the
 *     namespace is rebuilt
 * @param rebuild whether rebuilds load a new generation beside the current one or empty it in place
 * @param group the Kafka consumer group in which instances of this projection share its partitions, each
 *     partition fenced on its owner; {@code null} for one writer at a time, the others standing by
 * @param options every {@code projection[<name>].*} key as written, for plugin projections
 */
public record ProjectionSettings(
    String name,
    String topic,
    String namespace,
    String format,
    KeyTemplate keyTemplate,
    FieldSelection fields,
    int batchSize,
    TruncateMode truncate,
    String dlqTopic,
    int maxValueBytes,
    Duration tombstoneTtl,
    OffsetRegressionPolicy onOffsetRegression,
    String version,
    RebuildMode rebuild,
    String group,
    Map<String, String> options) {

  /** The version of a projection that names none, and of a namespace built before versions were recorded. */
  public static final String FIRST_VERSION = "1";

  /** Validates the components and copies the options. */
  public ProjectionSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(keyTemplate, "keyTemplate");
    Objects.requireNonNull(fields, "fields");
    Objects.requireNonNull(truncate, "truncate");
    Objects.requireNonNull(tombstoneTtl, "tombstoneTtl");
    Objects.requireNonNull(onOffsetRegression, "onOffsetRegression");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(rebuild, "rebuild");
    options = Map.copyOf(options);
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive");
    }
  }
}
