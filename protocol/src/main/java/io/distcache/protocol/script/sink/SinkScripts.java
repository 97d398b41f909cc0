package io.distcache.protocol.script.sink;

import io.distcache.protocol.script.LuaScript;

/**
 * The scripts a producer runs on the namespaces it projects into. Those that write entries, offsets or change-log
 * records are fenced ({@code fence} in {@code library.lua}): Redis refuses them unless the caller still holds the
 * namespace's generation and its claim, and for a batch the offsets it starts from. {@code claim.lua} lists the meta
 * hash fields they use; each script's header documents its {@code KEYS} and {@code ARGV}.
 */
public final class SinkScripts {

  /** Claims a namespace for one producer instance, or renews the claim. */
  public static final LuaScript CLAIM = load("claim");
  /** Gives up an instance's claim when it stops gracefully, so a standby takes over at once. */
  public static final LuaScript RELEASE = load("release");
  /** Records a consumer group member as the owner of partitions; the batches of the one before it refuse. */
  public static final LuaScript OWN = load("own");
  /** Whether the caller may still write, changing nothing. */
  public static final LuaScript FENCED = load("fenced");
  /** One chunk of a batch on a standalone or Sentinel master: entries under the version rule, then the offsets. */
  public static final LuaScript APPLY = load("apply");
  /** Redis Cluster, step 1 of a batch: the change-log records of every write, before any entry changes. */
  public static final LuaScript ANNOUNCE = load("announce");
  /** Redis Cluster, step 2 of a batch: the entry writes of one hash slot under the version rule. */
  public static final LuaScript ENTRIES = load("entries");
  /** Redis Cluster, step 3 of a batch: the fence checked again and the offsets moved, after the data. */
  public static final LuaScript COMMIT = load("commit");
  /** One page of a namespace clear, unlinked only while the caller may still write. */
  public static final LuaScript UNLINK = load("unlink");
  /** Finishes a namespace clear: a new generation and a clear record in the change log. */
  public static final LuaScript CLEARED = load("cleared");
  /** Starts building a new generation beside the current one, in a key space nobody reads yet. */
  public static final LuaScript BUILD = load("build");
  /** Makes a built generation current in one step, with a switch record that moves the edges. */
  public static final LuaScript SWITCH = load("switch");

  private SinkScripts() {}

  private static LuaScript load(String name) {
    return LuaScript.load(SinkScripts.class, name);
  }
}
