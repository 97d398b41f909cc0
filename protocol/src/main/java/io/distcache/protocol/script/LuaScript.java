package io.distcache.protocol.script;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua script shipped as a resource, with its SHA-1 so callers can use {@code EVALSHA} and fall back to
 * {@code EVAL} once when the server does not know it yet ({@link #isMissing}).
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
   * out on the same connection as soon as the refusal arrives, so runs sent one after the other stay in order.
   *
   * @return the reply; any other failure, or the {@code EVAL}'s, as it came
   */
  public <T> CompletableFuture<T> run(RedisClusterAsyncCommands<String, byte[]> commands, ScriptOutputType type,
      String[] keys, byte[]... arguments) {
    return commands.<T>evalsha(sha, type, keys, arguments).toCompletableFuture()
        .exceptionallyCompose(failure -> isMissing(failure)
            ? commands.<T>eval(source, type, keys, arguments).toCompletableFuture()
            : CompletableFuture.failedFuture(failure));
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
