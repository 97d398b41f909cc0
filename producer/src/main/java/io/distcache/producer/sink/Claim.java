package io.distcache.producer.sink;

import io.distcache.producer.source.SourceIdentity;
import java.util.Objects;

/**
 * What {@link NamespaceSink#claim} found: either another instance holds the namespace, or this one does
 * and the meta hash's contents.
 *
 * @param held whether this instance may write the namespace
 * @param heldElsewhereMillis when not held, how long the other holder's claim still runs unless renewed
 * @param generation when held, the namespace's generation
 * @param owner when held, the owner recorded before this claim ({@code ""}: none, edges wrote it)
 * @param source when held, the source identity recorded in the namespace
 * @param created when held, whether this claim gave the namespace its generation
 * @param edgeWrites when held, whether edges wrote entries into the namespace before it had an owner
 */
public record Claim(boolean held, long heldElsewhereMillis, String generation, String owner, SourceIdentity source,
    boolean created, boolean edgeWrites) {

  /** Checks that a held claim names its contents. */
  public Claim {
    if (held) {
      Objects.requireNonNull(generation, "generation");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(source, "source");
    }
  }

  static Claim heldElsewhere(long remainingMillis) {
    return new Claim(false, remainingMillis, null, null, null, false, false);
  }

  static Claim held(String generation, String owner, SourceIdentity source, boolean created, boolean edgeWrites) {
    return new Claim(true, 0, generation, owner, source, created, edgeWrites);
  }
}
