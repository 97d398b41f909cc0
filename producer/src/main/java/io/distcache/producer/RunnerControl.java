package io.distcache.producer;

import io.distcache.producer.source.SourceIdentity;
import java.util.Map;

/**
 * What a projection runner's collaborators ({@link GroupMembership}, {@link BuildBeside}) read and change of it.
 * Every call happens on the runner's thread.
 */
interface RunnerControl {

  /** The generation the runner writes, {@code null} once it must open the namespace again. */
  String generation();

  /** Makes {@code generation} the one the runner writes. */
  void generation(String generation);

  /** The topic as the runner last saw it. */
  SourceIdentity identity();

  /** Waits for the batch in flight, reacting to a refusal as every write does. */
  void drain();

  /** Forgets the batch in flight without waiting for it. */
  void dropInFlight();

  /** Reacts to a fence's refusal ({@code code}): the namespace is opened again. */
  void refused(long code);

  /**
   * Starts the backload's progress towards {@code ends} from the source's positions, and switches a build over at
   * once when it already reached them.
   */
  void track(Map<Integer, Long> ends);

  /** Makes {@code offsets} the stored ones and moves the source to them. */
  void resumeAt(Map<Integer, Long> offsets);
}
