package io.distcache.producer;

import static java.util.Objects.requireNonNull;

import io.distcache.producer.sink.Build;
import io.distcache.producer.sink.Claim;
import io.distcache.producer.sink.NamespaceSink;
import io.distcache.producer.sink.PendingBatch;
import io.distcache.producer.source.SourceIdentity;
import io.distcache.producer.source.TopicSource;
import io.distcache.protocol.sabotage.Sabotage;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A projection runner's part in a consumer group ({@code group}): the members share the namespace's claim and write
 * the partitions the group gives each, fenced per partition (see {@link NamespaceSink#own}). Keeps Redis's record of
 * partition owners in step with the group's rebalances, and rebuilds into a fresh key space instead of beside the
 * current one, since a build beside needs one writer of every partition.
 *
 * <p>Everything runs on the runner's thread; rebalance callbacks run inside {@link TopicSource#poll}.
 */
final class GroupMembership {

  private static final Logger LOG = LoggerFactory.getLogger(GroupMembership.class);

  private final RunnerContext context;
  /** Whether the source subscribed to the topic. */
  private boolean subscribed;
  /** The partitions a rebalance gave this member that it has not recorded in Redis yet. */
  private final Set<TopicPartition> toTake = new HashSet<>();
  /** A failure inside a rebalance callback, rethrown after the poll that ran it (Kafka would wrap it). */
  private RuntimeException rebalanceFailure;

  GroupMembership(RunnerContext context) {
    this.context = requireNonNull(context, "context");
  }

  /** Subscribes the source to the topic, once: the group assigns partitions from then on. */
  void subscribe() {
    if (!subscribed) {
      context.source().subscribe(new Rebalances());
      subscribed = true;
    }
  }

  /**
   * Opens the namespace as a member of the group: rebuilds it when it needs that, then owns the partitions the group
   * gave this member. Members share the claim, so each checks what concerns the whole namespace; a rebuild is fenced
   * on the generation, so only the first to start one does.
   */
  void open(Claim claim, SourceIdentity topic) {
    context.checks().refuseRepartitioned(topic, claim.source());
    context.stored().clear();
    String rebuildReason = RebuildReason.of(claim, context.settings());
    String recreated = topic.recreatedSince(claim.source());
    if (rebuildReason != null) {
      rebuild(rebuildReason, false);
    } else if (claim.state().build() != null || claim.state().building()) {
      // a group rebuild cut off between its two scripts, or a build beside that a single writer left
      rebuild("a rebuild was cut off before its switch", false);
    } else if (recreated != null) {
      rebuild(recreated, true);
    } else {
      ownAssigned(true);
    }
  }

  /**
   * Rebuilds the namespace from the topic's start: one script pair switches it to a new, empty generation in a key
   * space of its own, which edges read as it fills, and retires the old space. Every member, refused on the old
   * generation, reads its partitions again into the new one.
   *
   * @param regression whether the cause is an offset regression, which {@code on-offset-regression} governs
   */
  void rebuild(String reason, boolean regression) {
    context.checks().refuseRegression(reason, regression);
    Build fresh = Build.next(context.settings().version());
    long result = context.sink().startBuild(context.runner().generation(), fresh, Map.of(), context.retireGrace(),
        context.runner().identity());
    if (result == 0) {
      result = context.sink().switchTo(context.runner().generation(), fresh, Map.of(), context.retireGrace());
    }
    if (result < 0) {
      LOG.info("projection {}: the rebuild of {} was refused ({}); opening the namespace again",
          context.settings().name(), context.sink().namespace(), PendingBatch.describeRefusal(result));
      context.runner().refused(result);
      return;
    }
    LOG.warn("projection {}: rebuilt namespace {} from the start of topic '{}' because {}: every member of group {}"
        + " reads its partitions again into generation {} (key space {})", context.settings().name(),
        context.sink().namespace(), context.settings().topic(), reason, context.settings().group(), fresh.generation(),
        fresh.space());
    context.metrics().rebuilt();
    context.runner().generation(fresh.generation());
    context.stored().clear();
    ownAssigned(true);
  }

  /** Throws what failed in a rebalance callback during the last poll, as it would have failed outside one. */
  void rethrowRebalanceFailure() {
    RuntimeException failure = rebalanceFailure;
    rebalanceFailure = null;
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Owns what the group assigned: takes the partitions a rebalance gave and, with {@code keep} (after the namespace
   * was opened again), keeps the others this member owns; each resumes from its stored offset. Partitions held
   * because another member owns them in Redis wait for the rebalance that settles it.
   */
  private void ownAssigned(boolean keep) {
    List<TopicPartition> assigned = context.source().partitions();
    toTake.retainAll(assigned);
    Set<TopicPartition> held = context.source().held();
    List<TopicPartition> taken = List.copyOf(toTake);
    List<TopicPartition> kept = keep
        ? assigned.stream().filter(p -> !toTake.contains(p) && !held.contains(p)).toList() : List.of();
    if (!own(taken, true) || !own(kept, false)) {
      return;
    }
    toTake.clear();
    showOwned();
    if (keep || !taken.isEmpty()) {
      context.runner().track(context.source().endOffsets(context.endOffsetsTimeout()));
    }
  }

  private void showOwned() {
    List<Integer> owned = List.copyOf(context.sink().owned());
    context.status().partitions(owned);
    context.metrics().owned(owned);
  }

  /** Records this member as the owner of {@code partitions} and seeks them; {@code false} when Redis refused. */
  private boolean own(List<TopicPartition> partitions, boolean taken) {
    if (partitions.isEmpty()) {
      return true;
    }
    NamespaceSink.Ownership ownership = context.sink().own(context.runner().generation(), partitions.stream()
        .map(TopicPartition::partition).toList(), taken, context.source().groupGeneration());
    if (ownership.refusal() < 0) {
      LOG.info("projection {}: owning partitions {} of {} was refused ({})", context.settings().name(), partitions,
          context.sink().namespace(), PendingBatch.describeRefusal(ownership.refusal()));
      context.runner().refused(ownership.refusal());
      return false;
    }
    List<TopicPartition> lost = partitions.stream().filter(p -> ownership.lost().contains(p.partition())).toList();
    List<TopicPartition> owned = partitions.stream().filter(p -> !ownership.lost().contains(p.partition())).toList();
    Map<Integer, Long> offsets = new HashMap<>();
    ownership.offsets().forEach((partition, next) -> {
      if (next == null) {
        context.stored().remove(partition);
      } else {
        context.stored().put(partition, next);
        offsets.put(partition, next);
      }
    });
    lost.forEach(partition -> context.stored().remove(partition.partition()));
    String regression = TopicChecks.regression(context.runner().identity(), context.runner().identity(), offsets,
        context.source().endOffsets(context.endOffsetsTimeout()),
        context.source().beginningOffsets(context.endOffsetsTimeout()));
    if (regression != null) {
      rebuild(regression, true);
      return false;
    }
    if (!lost.isEmpty()) {
      LOG.warn("projection {}: another member of group {} owns partitions {} of {} now (this one was cut off from the"
          + " group, e.g. paused through a rebalance); it writes none of them unless a rebalance gives them back",
          context.settings().name(), context.settings().group(), lost, context.sink().namespace());
      context.source().holdForRebalance(lost);
    }
    context.source().resume(owned);
    context.source().seek(owned, Sabotage.REPLAY_FROM_START.isActive() ? Map.of() : offsets);
    if (taken) {
      LOG.info("projection {}: owns partitions {} of {} now, resuming at {}", context.settings().name(), owned,
          context.sink().namespace(), new TreeMap<>(offsets));
    }
    return true;
  }

  /** Keeps Redis's record of partition owners in step with the group's rebalances. */
  private final class Rebalances implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      try {
        // the batches of these partitions land before their next owner reads the stored offsets
        if (context.runner().generation() != null) {
          context.runner().drain();
        }
      } catch (RuntimeException e) {
        rebalanceFailure = e;
      } finally {
        forget(partitions);
      }
      LOG.info("projection {}: gave partitions {} of {} back to group {}", context.settings().name(), partitions,
          context.sink().namespace(), context.settings().group());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // this member was cut off: another may own them already, and its owner token refuses what is in flight here
      context.runner().dropInFlight();
      forget(partitions);
      LOG.warn("projection {}: lost partitions {} of {} (cut off from group {} for longer than its session timeout)",
          context.settings().name(), partitions, context.sink().namespace(), context.settings().group());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      toTake.addAll(partitions);
      // the end of every rebalance also confirms the partitions held for one: this member owns them now
      toTake.addAll(context.source().held());
      try {
        if (context.runner().generation() != null) {
          // the offsets of the partitions taken are read after this member's own batches landed
          context.runner().drain();
        }
        if (context.runner().generation() != null) {
          ownAssigned(false);
        }
      } catch (RuntimeException e) {
        rebalanceFailure = e;
      }
    }

    private void forget(Collection<TopicPartition> partitions) {
      List<Integer> numbers = partitions.stream().map(TopicPartition::partition).toList();
      context.sink().disown(numbers);
      numbers.forEach(context.stored()::remove);
      toTake.removeAll(partitions);
      showOwned();
    }
  }
}
