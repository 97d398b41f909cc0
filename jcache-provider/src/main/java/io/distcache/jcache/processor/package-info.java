/**
 * Entry processors: the {@code MutableEntry} an {@code EntryProcessor} works on, and the per-key locks that run
 * one processor (or leased write) per key at a time in this JVM.
 */
package io.distcache.jcache.processor;
