package io.distcache.jcache.coherence;

import io.distcache.protocol.namespace.Namespace;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the {@link ChangeLogFollower} keeps of one followed namespace: its listeners, the record they were handed up
 * to, the generation they read, and the catch-ups of listeners still being handed their replay. Fields marked
 * "follower thread only" are written and read by the follower's thread alone; the others are volatile or
 * concurrent because callers that join or leave touch them too.
 */
final class Subscription {

  /** The catch-up of a listener that started where the log's end was not known: the first read that reaches it. */
  static final String TO_THE_END = "end";

  final Namespace namespace;
  final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  volatile String lastId;
  /** Whether {@link #lastId} is a record's id (else a replay start, which no record may have). */
  volatile boolean lastIdIsRecord;
  volatile String generation;
  /** Whether the namespace's meta names a producer as its owner (follower thread only). */
  boolean producerOwned;
  /** The owner the meta hash named at the last check, {@code null} before one named any (follower thread only). */
  String owner;
  /** Whether the listeners serve stale near copies until a switch, see {@link ChangeListener#onStale}. */
  volatile boolean stale;
  /** Whether a listener joined with another generation: the next check switches all to the meta hash's. */
  volatile boolean recheck;
  /** The highest value of the namespace's version counter seen so far (follower thread only). */
  long highestSequence;
  /**
   * A record the log must still hold, checked at the next successful read ({@code null}: none): the id a
   * snapshot's near copies reflect, which may lie before the replay start.
   */
  volatile String mustHold;

  /** How many listeners joined after the first; written only inside {@code subscriptions.compute}. */
  volatile long joins;
  /** Per listener still being handed its replay, the id it waits for and what to complete then. */
  private final Map<ChangeListener, CatchUp> catchUps = new ConcurrentHashMap<>();

  Subscription(Namespace namespace, ChangeListener listener, String lastId, boolean lastIdIsRecord,
      String generation) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.listeners.add(Objects.requireNonNull(listener, "listener"));
    this.lastId = Objects.requireNonNull(lastId, "lastId");
    this.lastIdIsRecord = lastIdIsRecord;
    this.generation = generation;
  }

  /** Completes {@code done} once {@code listener} was handed {@code upTo}; at once when {@code null}. */
  void awaitCatchUp(ChangeListener listener, String upTo, CompletableFuture<Void> done) {
    if (upTo == null) {
      done.complete(null);
    } else {
      catchUps.put(listener, new CatchUp(upTo, done));
    }
  }

  Set<ChangeListener> catchingUp() {
    return Set.copyOf(catchUps.keySet());
  }

  /**
   * Completes the catch-ups whose record was handed over, of the listeners that waited when the read began (the
   * follower thread, after a delivery).
   */
  void catchUpsReached(Set<ChangeListener> waiting, boolean atTheEnd) {
    String handedOver = lastId;
    for (ChangeListener listener : waiting) {
      CatchUp catchUp = catchUps.get(listener);
      if (catchUp != null && (TO_THE_END.equals(catchUp.upTo())
          ? atTheEnd : StreamIds.compare(handedOver, catchUp.upTo()) >= 0)) {
        caughtUp(listener);
      }
    }
  }

  void caughtUp(ChangeListener listener) {
    CatchUp catchUp = catchUps.remove(listener);
    if (catchUp != null) {
      catchUp.done().complete(null);
    }
  }

  /** A listener's replay ends once the record {@code upTo} was handed over, or a read reached {@link #TO_THE_END}. */
  private record CatchUp(String upTo, CompletableFuture<Void> done) {
  }
}
