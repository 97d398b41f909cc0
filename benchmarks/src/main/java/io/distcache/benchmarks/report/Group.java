package io.distcache.benchmarks.report;

/** The comparison groups of the results table; each has one baseline row. */
public enum Group {

  /** Reads served from memory in this JVM. */
  LOCAL_HIT("Local hit", "random `get` of a key present in the JVM (10,000 keys)"),
  /** Single reads that must go to Redis. */
  REMOTE_GET("Remote get", "random `get` that must be answered by Redis (near cache holds nothing)"),
  /** 100-key reads that must go to Redis. */
  BULK_GET("Bulk get", "`getAll` of 100 random distinct keys, none held near"),
  /** Single writes. */
  WRITE("Write", "`put` of a random key");

  private final String title;
  private final String description;

  Group(String title, String description) {
    this.title = title;
    this.description = description;
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
