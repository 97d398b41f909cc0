package io.distcache.protocol.script;

import static java.util.Objects.requireNonNull;

import io.distcache.protocol.command.FollowUps;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua script shipped as a resource, with its SHA-1, run by {@link #run}: {@code EVALSHA}, falling back to
 * {@code EVAL} once when the server does not know the script yet ({@link #isMissing}).
 *
 * <p>A line {@code --#include <name>} is replaced by the resource {@code <name>.lua}, so scripts share Lua
 * functions (Redis scripts cannot call each other). An included file is looked up next to the script's owner
 * class first, then among the protocol's own scripts in this package: {@code changelog.lua} writes the change-log
 * records of both the provider's and the producer's scripts.
 */
public final class LuaScript {

  private static final Pattern INCLUDE = Pattern.compile("^--#include ([a-z-]+)$", Pattern.MULTILINE);
  /** Deeper than any script needs; stops an include cycle with a clear message instead of a stack overflow. */
  private static final int MAX_INCLUDE_DEPTH = 4;

  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /** Loads {@code <name>.lua} from {@code owner}'s package, with its includes. */
  public static LuaScript load(Class<?> owner, String name) {
    requireNonNull(owner, "owner");
    requireNonNull(name, "name");
    return new LuaScript(name, withIncludes(owner, read(owner, name), 0));
  }

  /**
   * Runs the script by its SHA-1 ({@code EVALSHA}), and once by its source ({@code EVAL}, which caches it again) when
   * the server lacks it: after a restart, a failover, {@code SCRIPT FLUSH} or on a new cluster node. The source goes
   * out as soon as the refusal arrives, so runs sent one after the other need not apply in order then (a later
   * {@code EVALSHA} may find the script an earlier {@code EVAL} cached): callers whose runs must apply in order guard
   * that in the script, as the producer's chunk chain does.
   *
   * <p>Cancelling the returned future cancels the commands not answered yet: a caller that gave up on a reply must
   * not have the script run late, after what it does next.
   *
   * @return the reply; any other failure, or the {@code EVAL}'s, as it came
   */
  public <T> CompletableFuture<T> run(RedisClusterAsyncCommands<String, byte[]> commands, ScriptOutputType type,
      String[] keys, byte[]... arguments) {
    CompletableFuture<T> reply = new CompletableFuture<>();
    RedisFuture<T> bySha = commands.evalsha(sha, type, keys, arguments);
    FollowUps.cancelWith(reply, bySha);
    bySha.whenComplete((value, failure) -> {
      if (failure == null) {
        reply.complete(value);
      } else if (isMissing(failure)) {
        FollowUps.sendOn(reply, () -> commands.<T>eval(source, type, keys, arguments), Function.identity());
      } else {
        reply.completeExceptionally(failure);
      }
    });
    return reply;
  }

  /**
   * Waits for runs sent one after the other, in that order, each with {@code await} (which bounds the wait and maps
   * failures); once one fails, the runs not answered yet are cancelled, so that none runs after the caller was told
   * of the failure.
   *
   * @return the replies, in the order of {@code runs}
   */
  public static <T> List<T> awaitInOrder(List<CompletableFuture<T>> runs, Function<CompletableFuture<T>, T> await) {
    List<T> replies = new ArrayList<>(runs.size());
    try {
      for (CompletableFuture<T> run : runs) {
        replies.add(await.apply(run));
      }
    } catch (RuntimeException e) {
      runs.forEach(run -> run.cancel(false));
      throw e;
    }
    return replies;
  }

  /**
   * Whether a command failed because the server's script cache lacks the script ({@code NOSCRIPT}): after a
   * restart, a failover or on a new cluster node. Looks through the wrappers of a future's failure.
   */
  public static boolean isMissing(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof RedisNoScriptException
        || cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).startsWith("NOSCRIPT");
  }

  private static String withIncludes(Class<?> owner, String source, int depth) {
    return INCLUDE.matcher(source).replaceAll(include -> {
      if (depth >= MAX_INCLUDE_DEPTH) {
        throw new IllegalStateException("script includes nest deeper than " + MAX_INCLUDE_DEPTH + " at "
            + include.group(1) + ".lua: an include cycle?");
      }
      String name = include.group(1);
      Class<?> home = owner.getResource(name + ".lua") == null && LuaScript.class.getResource(name + ".lua") != null
          ? LuaScript.class : owner;
      return Matcher.quoteReplacement(withIncludes(home, read(home, name), depth + 1));
    });
  }

  private static String read(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("script resource " + name + ".lua is missing from the jar of " + owner.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script " + name, e);
    }
  }

  /** The script's name (its resource name without extension). */
  public String name() {
    return name;
  }

  /** The Lua source, includes resolved. */
  public String source() {
    return source;
  }

  /** The SHA-1 digest {@code EVALSHA} expects. */
  public String sha() {
    return sha;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by the Java platform", e);
    }
  }
}
