package io.distcache.protocol.namespace;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.KeyScanCursor;
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
   * out as soon as the page arrives.
   *
   * @param count the {@code SCAN COUNT} hint: how many keys Redis looks at for the page
   * @return the page scanned, whose cursor the next page starts from ({@link ScanCursor#isFinished()} once done)
   */
  public static CompletableFuture<KeyScanCursor<String>> unlinkPage(RedisClusterAsyncCommands<String, byte[]> commands,
      Namespace space, ScanCursor cursor, int count) {
    requireNonNull(commands, "commands");
    ScanArgs page = ScanArgs.Builder.matches(space.entryPattern()).limit(count);
    return commands.scan(requireNonNull(cursor, "cursor"), page).toCompletableFuture()
        .thenCompose(found -> found.getKeys().isEmpty() ? CompletableFuture.completedFuture(found)
            : commands.unlink(found.getKeys().toArray(String[]::new)).toCompletableFuture().thenApply(ok -> found));
  }
}
