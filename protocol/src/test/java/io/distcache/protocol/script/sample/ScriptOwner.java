package io.distcache.protocol.script.sample;

/** Owns the test scripts next to it, as {@code NamespaceStore} and {@code NamespaceSink} own theirs. */
public final class ScriptOwner {

  private ScriptOwner() {
  }
}
