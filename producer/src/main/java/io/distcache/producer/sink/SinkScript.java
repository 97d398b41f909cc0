package io.distcache.producer.sink;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;

/**
 * A Lua script of the sink, shipped next to this class, with the SHA-1 {@code EVALSHA} needs. Every
 * script is preceded by {@code library.lua}, the functions the scripts share (fence, version rule,
 * change log), so each rule is written once for both the atomic and the Redis Cluster path.
 */
record SinkScript(String name, String source, String sha) {

  private static final String LIBRARY = read("library");

  static SinkScript load(String name) {
    String source = LIBRARY + read(name);
    try {
      return new SinkScript(name, source, HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8))));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by the Java platform", e);
    }
  }

  /** Whether a command failed because the server's script cache lacks the script ({@code NOSCRIPT}). */
  static boolean isMissing(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof RedisNoScriptException
        || cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).startsWith("NOSCRIPT");
  }

  private static String read(String name) {
    try (InputStream in = SinkScript.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("script resource " + name + ".lua is missing from the producer jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script " + name, e);
    }
  }
}
