package io.distcache.protocol.sabotage;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Switches that each break one mechanism the coherence, fault and exactness tests guard. A test that
 * still passes with its mechanism broken cannot fail, so the negative-control suites run each guarded
 * test with its switch on and require it to fail (docs/testing.md, "Negative controls").
 *
 * <p>A switch can only be turned on in a JVM started with the system property {@value #PROPERTY}; its
 * value lists the switches that are on from the start (comma-separated), or is {@code none}. That is how
 * a child process such as the producer gets one. Without the property every {@link #isActive()} is a
 * constant {@code false} that the JIT removes, and {@link #activate()} refuses.
 */
public enum Sabotage {

  /** The change-log follower drops every 3rd record it reads instead of handing it to the near caches. */
  DROP_CHANGE_RECORDS,
  /** The change-log follower stops for good at its first failure instead of reconnecting. */
  FOLLOWER_GIVES_UP,
  /** After a reconnect the change-log follower reads on from the log's newest record, not from its last id. */
  RESUME_AT_LOG_END,
  /** The change-log follower never flushes for a gap: records trimmed before it read them go unnoticed. */
  IGNORE_LOG_GAPS,
  /** Data losses go unnoticed: a new namespace generation or a version counter that went back flushes nothing. */
  IGNORE_DATA_LOSS,
  /** Invalidation markers and clears never refuse a fill, so a read that raced a change caches the old value. */
  ACCEPT_EVERY_FILL,
  /** A cache restored from its snapshot follows the change log from its newest record, not from the snapshot's id. */
  SNAPSHOT_RESUMES_AT_LOG_END,
  /** A new cache fills its near cache while its follower still replays the records from before it started. */
  FILL_DURING_REPLAY,
  /** A replica's answer older than what the near cache knows is used instead of asking the master. */
  TRUST_OUTDATED_REPLICA_ANSWERS,
  /** The replica-lag heartbeat never finds a replica behind. */
  IGNORE_REPLICA_HEARTBEAT,
  /** Calls wait for Redis as long as it takes instead of failing after {@code command-timeout}. */
  IGNORE_COMMAND_TIMEOUT,
  /** Once open, the circuit breaker never closes again. */
  BREAKER_NEVER_CLOSES,
  /** Client tracking is never enabled again after its connection was lost. */
  TRACKING_NEVER_REENABLED,
  /** The producer ignores the offsets stored in its namespace and projects every topic from its first record. */
  REPLAY_FROM_START,
  /** A member of a producer's consumer group fences its batches on the stored offsets only, not on its partitions' owners. */
  IGNORE_PARTITION_OWNERS;

  /** The system property that allows switches in this JVM and lists the ones on from the start. */
  public static final String PROPERTY = "io.distcache.sabotage";

  private static final boolean ALLOWED = System.getProperty(PROPERTY) != null;

  static {
    if (ALLOWED) {
      Arrays.stream(System.getProperty(PROPERTY).split(","))
          .map(String::trim)
          .filter(name -> !name.isEmpty() && !"none".equalsIgnoreCase(name))
          .forEach(name -> named(name).active = true);
      // No SLF4J here: this package depends on nothing, and the warning must reach any operator.
      Object[] on = Arrays.stream(values()).filter(Sabotage::isActive).toArray();
      System.getLogger(Sabotage.class.getName()).log(System.Logger.Level.WARNING, "negative-control switches"
          + " are allowed in this JVM (-D" + PROPERTY + "); on from the start: " + Arrays.toString(on)
          + ". Never set it outside a negative-control suite");
    }
  }

  private static Sabotage named(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("-D" + PROPERTY + " names '" + name + "', which is no switch; use none or"
          + " some of " + Arrays.toString(values()), e);
    }
  }

  private volatile boolean active;

  /** Whether this switch is on; always {@code false} without {@value #PROPERTY}. */
  public boolean isActive() {
    return ALLOWED && active;
  }

  /**
   * Turns this switch on until the returned activation is closed.
   *
   * @throws IllegalStateException if the JVM was started without {@value #PROPERTY}
   */
  public Activation activate() {
    if (!ALLOWED) {
      throw new IllegalStateException(name() + " cannot be turned on: start the JVM with -D" + PROPERTY
          + "=none (negative-control suites only)");
    }
    active = true;
    return new Activation(this);
  }

  /** A switch that is on; closing it turns it off. */
  public static final class Activation implements AutoCloseable {

    private final Sabotage sabotage;

    private Activation(Sabotage sabotage) {
      this.sabotage = Objects.requireNonNull(sabotage, "sabotage");
    }

    @Override
    public void close() {
      sabotage.active = false;
    }
  }
}
