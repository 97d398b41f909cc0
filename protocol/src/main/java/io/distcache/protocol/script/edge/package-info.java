/**
 * The Lua scripts of the JCache provider's reads, and of its writes on a namespace it writes itself, in {@link
 * io.distcache.protocol.script.edge.EdgeScripts}: the Redis side of the protocol described in {@code docs/design.md}.
 */
package io.distcache.protocol.script.edge;
