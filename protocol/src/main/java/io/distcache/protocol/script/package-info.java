/**
 * The Lua scripts' loader: a script with its includes resolved and its SHA-1 for {@code EVALSHA}, and how a
 * {@code NOSCRIPT} refusal is recognised. {@code changelog.lua} here is the one writer of change-log records,
 * included by the provider's and the producer's scripts.
 */
package io.distcache.protocol.script;
