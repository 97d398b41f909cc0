package io.distcache.producer.sink;

import io.distcache.producer.source.SourceIdentity;
import java.util.Objects;

/**
 * What {@link NamespaceSink#claim} found: another projection owns the namespace, another instance of this
 * projection holds it, or this one does, with the meta hash's contents.
 *
 * @param held whether this instance may write the namespace
 * @param heldElsewhereMillis when another instance holds it, how long its claim still runs unless renewed
 * @param generation when held, the namespace's generation
 * @param owner when held, the owner recorded before this claim ({@code ""}: none); when another projection
 *     owns the namespace, that owner
 * @param source when held, the source identity recorded in the namespace
 * @param created when held, whether this claim gave the namespace its generation
 * @param edgeWrites when held, whether entries edges wrote before the namespace had an owner are still there
 * @param state when held, what the meta hash says of the current generation (built or not, projection
 *     version) and of a build under way; {@link State#NONE} for a namespace written before builds existed
 */
public record Claim(boolean held, long heldElsewhereMillis, String generation, String owner, SourceIdentity source,
    boolean created, boolean edgeWrites, State state) {

  /** Checks that a held claim names its contents. */
  public Claim {
    if (held) {
      Objects.requireNonNull(generation, "generation");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * The build state of a namespace (fields listed in {@code claim.lua}).
   *
   * @param building whether the current generation is not built yet (a new namespace or one that lost its data)
   * @param projectionVersion the projection version the current generation was built with, {@code null} if unrecorded
   * @param build the build under way, {@code null} if none
   * @param rebuildRequested whether an operator asked for a rebuild ({@code rebuild} command)
   */
  public record State(boolean building, String projectionVersion, Build build, boolean rebuildRequested) {

    /** A namespace with no build state recorded. */
    public static final State NONE = new State(false, null, null, false);
  }

  /** Whether another projection owns the namespace: {@link #owner()} names it. */
  public boolean ownedByAnother() {
    return !held && owner != null;
  }

  static Claim ownedBy(String otherOwner) {
    return new Claim(false, 0, null, otherOwner, null, false, false, null);
  }

  static Claim heldElsewhere(long remainingMillis) {
    return new Claim(false, remainingMillis, null, null, null, false, false, null);
  }

  static Claim held(String generation, String owner, SourceIdentity source, boolean created, boolean edgeWrites,
      State state) {
    return new Claim(true, 0, generation, owner, source, created, edgeWrites, state);
  }
}
