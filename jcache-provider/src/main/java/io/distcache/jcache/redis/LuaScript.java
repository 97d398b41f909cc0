package io.distcache.jcache.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua script shipped as a resource next to this class, with its SHA-1 so callers can use
 * {@code EVALSHA} and fall back to {@code EVAL} once when the server does not know it yet.
 *
 * <p>A line {@code --#include <name>} is replaced by the resource {@code <name>.lua}, so scripts
 * share Lua functions (Redis scripts cannot call each other).
 */
public final class LuaScript {

  private static final Pattern INCLUDE = Pattern.compile("^--#include ([a-z-]+)$", Pattern.MULTILINE);

  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /** Loads {@code <name>.lua} from this package. */
  public static LuaScript load(String name) {
    return new LuaScript(name, withIncludes(read(name)));
  }

  private static String withIncludes(String source) {
    return INCLUDE.matcher(source).replaceAll(include -> Matcher.quoteReplacement(read(include.group(1))));
  }

  private static String read(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("script resource " + name + ".lua is missing from the jar");
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

  /** The Lua source. */
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
