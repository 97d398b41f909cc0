/**
 * The Lua scripts of the JCache provider's writes and reads on a namespace it owns, in {@link
 * io.distcache.protocol.script.edge.EdgeScripts}: the Redis side of the protocol described in {@code docs/design.md}.
 */
package io.distcache.protocol.script.edge;
