package io.distcache.producer.projection;

/**
 * Turns source records into namespace changes: the producer's extension point.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.distcache.producer.projection.Projection} of a jar on the producer's
 * {@code plugin.path} and select it with {@code projection[<name>].format = <format()>}. The built-in
 * formats are {@code json}, {@code debezium} and {@code flattened}.
 *
 * <p>An implementation has a public no-argument constructor, is stateless and thread-safe: the
 * settings come with every call. It never blocks and never talks to Redis or Kafka; it returns a
 * {@link Change} or throws {@link RejectedRecordException} for a bad record, which then goes to the
 * dead-letter topic. The producer, not the projection, applies versions (the record's offset),
 * ordering and tombstones.
 */
public interface Projection {

  /** The name selected with {@code projection[<name>].format}; lower case. */
  String format();

  /**
   * Projects one record.
   *
   * @param record the source record; its value is {@code null} for a Kafka tombstone
   * @param settings the projection's settings, including the key template, field selection and the
   *     raw {@code projection[<name>].*} options
   * @return the change the record makes
   * @throws RejectedRecordException when the record cannot be projected
   */
  Change project(SourceRecord record, ProjectionSettings settings);
}
