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

  /** What differs from {@code recorded}, in words, or {@code null} when the two describe the same topic. */
  public String differenceFrom(SourceIdentity recorded) {
    if (!recorded.topicId.isEmpty() && !topicId.isEmpty() && !recorded.topicId.equals(topicId)) {
      return "the topic was deleted and created again (topic id " + recorded.topicId + " is now " + topicId + ")";
    }
    if (recorded.partitions > 0 && partitions > 0 && recorded.partitions != partitions) {
      return "the topic's partition count changed from " + recorded.partitions + " to " + partitions
          + ", so keys moved between partitions";
    }
    return null;
  }
}
