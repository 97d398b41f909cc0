package io.distcache.jcache;

/**
 * The live value of an entry and its version, as read from the master: the state an operation decides from.
 *
 * @param version the entry's version; {@code 0} where it is not known (a value returned by a write)
 */
record Current<V>(V value, long version) {
}
