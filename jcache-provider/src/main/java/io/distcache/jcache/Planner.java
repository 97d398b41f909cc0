package io.distcache.jcache;

/**
 * Decides what an operation does with an entry, given its current state ({@code null} when absent). It may run
 * more than once for one operation (a compare-and-set retry), so it must have no side effect.
 */
@FunctionalInterface
interface Planner<V, R> {

  /** The plan for {@code current}. */
  Plan<V, R> plan(Current<V> current);
}
