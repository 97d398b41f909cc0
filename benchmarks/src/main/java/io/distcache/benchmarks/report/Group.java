package io.distcache.benchmarks.report;

/** The comparison groups of the results table; each has one baseline row. */
public enum Group {

  /** Reads served from memory in this JVM. */
  LOCAL_HIT("Local hit", "random `get` of a key present in the JVM (10,000 keys)", false),
  /** Single reads that must go to Redis. */
  REMOTE_GET("Remote get", "random `get` that must be answered by Redis (near cache holds nothing)", false),
  /** 100-key reads that must go to Redis. */
  BULK_GET("Bulk get", "`getAll` of 100 random distinct keys, none held near", false),
  /** Single writes. */
  WRITE("Write", "`put` of a random key", false),
  /** Decoding one stored String, no I/O. */
  DECODE_STRING("Decode a String", "decoding one stored 190-character ASCII String in memory (no I/O)", false),
  /** Decoding one stored POJO, no I/O. */
  DECODE_PAYLOAD("Decode a POJO", "decoding one stored 11-field `Payload` in memory (no I/O)", false),
  /** Encoding a page of keys for Redis, no I/O. */
  ENCODE_KEYS("Encode a page of keys", "encoding the arguments of one `MGET` of 4,000 entry keys (a preload's page)"
      + " into Lettuce's output buffer, as its I/O thread does (no I/O)", false),
  /** Near hits while the cache's Redis is down, next to the same hits with it up (latency distribution). */
  OUTAGE_HIT("Near hit during a Redis outage", "random `get` of a key held in the near cache (10,000 keys,"
      + " near max-items 20,000), each row on a redis-server of its own; for the *killed* rows the server got"
      + " SIGKILL after the near cache was filled, and the rows start once the CacheManager's circuit breaker is"
      + " open (`outage.stale-on-failure=1h`, so every hit is within it). JMH sample mode: every call timed on"
      + " its own, so the times include the clock's granularity (about 20–30 ns)", true);

  private final String title;
  private final String description;
  private final boolean percentiles;

  Group(String title, String description, boolean percentiles) {
    this.title = title;
    this.description = description;
    this.percentiles = percentiles;
  }

  /** Whether the group's rows are sampled (JMH {@code SampleTime}) and reported as percentiles. */
  public boolean percentiles() {
    return percentiles;
  }

  /** The heading of the group's table. */
  public String title() {
    return title;
  }

  /** One line saying what each row does. */
  public String description() {
    return description;
  }
}
