package io.distcache.producer.sink;

/**
 * Where a batch moves a partition's stored next offset.
 *
 * @param expected the stored next offset the batch starts from; {@code null} when none is stored
 * @param next the next offset after the batch's last record of the partition
 */
public record OffsetMove(Long expected, long next) {
}
