package io.distcache.protocol.namespace;

import static java.util.Objects.requireNonNull;

import io.distcache.protocol.command.FollowUps;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;

/**
 * Removes the entries of a key space a page at a time, as the provider's {@code clear} and the producer's retiring
 * of an old generation do: a {@code SCAN} page of the entry pattern, then {@code UNLINK} of the keys it found, so
 * that no single command blocks Redis for a namespace of any size.
 */
public final class EntryPages {

  private EntryPages() {
  }

  /**
   * Scans one page of {@code space}'s entries from {@code cursor} and unlinks the keys it found; the unlink goes
   * out as soon as the page arrives. Cancelling the returned future cancels the commands not answered yet, so that a
   * caller that gave up never has keys it found unlinked later, after they may have been written again.
   *
   * @param count the {@code SCAN COUNT} hint: how many keys Redis looks at for the page
   * @return the page scanned, whose cursor the next page starts from ({@link ScanCursor#isFinished()} once done)
   */
  public static CompletableFuture<KeyScanCursor<String>> unlinkPage(RedisClusterAsyncCommands<String, byte[]> commands,
      Namespace space, ScanCursor cursor, int count) {
    requireNonNull(commands, "commands");
    CompletableFuture<KeyScanCursor<String>> page = new CompletableFuture<>();
    RedisFuture<KeyScanCursor<String>> scan = commands.scan(requireNonNull(cursor, "cursor"),
        ScanArgs.Builder.matches(space.entryPattern()).limit(count));
    FollowUps.cancelWith(page, scan);
    scan.whenComplete((found, failure) -> {
      if (failure != null) {
        page.completeExceptionally(failure);
      } else if (found.getKeys().isEmpty()) {
        page.complete(found);
      } else {
        FollowUps.sendOn(page, () -> commands.unlink(found.getKeys().toArray(String[]::new)), unlinked -> found);
      }
    });
    return page;
  }
}
