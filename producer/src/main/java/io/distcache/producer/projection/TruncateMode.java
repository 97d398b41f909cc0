package io.distcache.producer.projection;

/** What a Debezium truncate ({@code op = t}) does to a projection's namespace. */
public enum TruncateMode {
  /** Unlink every entry, start a new generation and log a clear record: edges drop their near caches. */
  CLEAR,
  /** Send the record to the dead-letter topic and leave the namespace as it is. */
  REJECT
}
