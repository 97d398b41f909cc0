package io.distcache.producer.source;

import java.util.Objects;

/**
 * Which topic a namespace's offsets belong to: a topic deleted and created again under the same name has
 * another id, and one that gained partitions sends keys to other partitions. Either way the stored
 * offsets no longer describe the topic.
 *
 * @param topicId Kafka's topic id ({@code ""} when unknown)
 * @param partitions the topic's partition count (0 when unknown)
 */
public record SourceIdentity(String topicId, int partitions) {

  /** Checks the components. */
  public SourceIdentity {
    Objects.requireNonNull(topicId, "topicId");
  }

  /** How the topic was re-created, in words, or {@code null} when it is the one {@code recorded} names. */
  public String recreatedSince(SourceIdentity recorded) {
    if (!recorded.topicId.isEmpty() && !topicId.isEmpty() && !recorded.topicId.equals(topicId)) {
      return "the topic was deleted and created again (topic id " + recorded.topicId + " is now " + topicId + ")";
    }
    return null;
  }

  /** Whether this is the topic {@code recorded} names with another partition count. */
  public boolean repartitionedSince(SourceIdentity recorded) {
    return recreatedSince(recorded) == null && recorded.partitions > 0 && partitions > 0
        && recorded.partitions != partitions;
  }
}
