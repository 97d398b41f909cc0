package io.distcache.protocol.command;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.RedisFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Wires commands to the future a caller waits on. A caller that gave up (a timeout) cancels that future, and every
 * command wired to it is cancelled too: one not sent yet never goes out, so nothing runs late, after what the caller
 * did next.
 */
public final class FollowUps {

  private FollowUps() {
  }

  /** Cancels {@code command} when {@code outcome} is cancelled, or at once if it already was. */
  public static void cancelWith(CompletableFuture<?> outcome, Future<?> command) {
    requireNonNull(command, "command");
    outcome.whenComplete((value, failure) -> {
      if (outcome.isCancelled()) {
        command.cancel(false);
      }
    });
  }

  /**
   * Sends a command on and completes {@code outcome} with what {@code result} makes of its reply, or with its
   * failure; a command that cannot be sent fails {@code outcome} at once. Nothing is sent once {@code outcome} is
   * done (cancelled).
   */
  public static <R, T> void sendOn(CompletableFuture<T> outcome, Supplier<RedisFuture<R>> command,
      Function<R, T> result) {
    if (outcome.isDone()) {
      return;
    }
    RedisFuture<R> sent;
    try {
      sent = command.get();
    } catch (RuntimeException e) {
      outcome.completeExceptionally(e);
      return;
    }
    cancelWith(outcome, sent);
    sent.whenComplete((reply, failure) -> {
      if (failure == null) {
        outcome.complete(result.apply(reply));
      } else {
        outcome.completeExceptionally(failure);
      }
    });
  }
}
