package io.distcache.producer;

import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.sink.Claim;
import java.util.Objects;

/** Why a namespace must be rebuilt from its topic's start, whatever its stored offsets say. */
public final class RebuildReason {

  private RebuildReason() {
  }

  /**
   * The reason in words, or {@code null} when there is none: entries edges wrote (their versions are no source
   * offsets), an operator's request, or another projection version than the one the namespace was built with.
   *
   * @param claim what the claim found in the namespace's meta hash
   * @param settings the projection writing the namespace
   */
  public static String of(Claim claim, ProjectionSettings settings) {
    if (claim.edgeWrites()) {
      return "it holds entries edges wrote before it had an owner, whose versions are not source offsets; this"
          + " projection owns it now";
    }
    if (claim.state().rebuildRequested()) {
      return "an operator asked for it (rebuild command)";
    }
    String built = Objects.requireNonNullElse(claim.state().projectionVersion(), ProjectionSettings.FIRST_VERSION);
    if (!settings.version().equals(built)) {
      return "projection[" + settings.name() + "].version changed from " + built + " to " + settings.version();
    }
    return null;
  }
}
