package io.distcache.producer.sink;

/** Where a batch moves a partition's stored next offset: from {@code expected} ({@code null}: none stored) to {@code next}. */
public record OffsetMove(Long expected, long next) {
}
