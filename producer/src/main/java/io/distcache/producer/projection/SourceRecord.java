package io.distcache.producer.projection;

/**
 * One Kafka record as a projection sees it. The arrays are the record's own bytes: projections must
 * not modify them.
 *
 * @param topic the source topic
 * @param partition the partition
 * @param offset the record's offset, which becomes the version of whatever the record writes
 * @param key the record key, {@code null} when absent
 * @param value the record value, {@code null} for a Kafka tombstone
 */
public record SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value) {

  /** Topic, partition and offset; never the key or value, which may hold personal data. */
  @Override
  public String toString() {
    return topic + '-' + partition + '@' + offset;
  }
}
