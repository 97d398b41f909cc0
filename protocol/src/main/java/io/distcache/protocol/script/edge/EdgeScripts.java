package io.distcache.protocol.script.edge;

import io.distcache.protocol.script.LuaScript;

/**
 * The scripts an edge (the JCache provider) runs: its reads with expiry, and on a namespace it writes itself the
 * per-key version rule and the change-log record of every write, kept in one atomic step. Each script's header
 * documents its {@code KEYS} and {@code ARGV}.
 */
public final class EdgeScripts {

  /** A conditional write or removal of one entry, its version and its change-log record. */
  public static final LuaScript MUTATE = load("mutate");
  /** Entries with their remaining time to live, in one round trip (caches with expiry). */
  public static final LuaScript READ = load("read");
  /** The "namespace cleared" change-log record, appended once the entries were unlinked. */
  public static final LuaScript CLEAR = load("clear");
  /** On Redis Cluster, the change-log record (and version) of a write, taken on the bookkeeping slot first. */
  public static final LuaScript ANNOUNCE = load("announce");
  /** The per-key lease: one holder at a time computes, writes through and commits a key. */
  public static final LuaScript LEASE = load("lease");
  /** An entry's remaining time to live set without a new version (access expiry). */
  public static final LuaScript RETIME = load("retime");

  private EdgeScripts() {}

  private static LuaScript load(String name) {
    return LuaScript.load(EdgeScripts.class, name);
  }
}
